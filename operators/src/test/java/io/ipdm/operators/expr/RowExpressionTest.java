package io.ipdm.operators.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class RowExpressionTest {
    static final RowTypeInfo TX =
            new RowTypeInfo(
                    new TypeInformation<?>[] {
                        Types.LONG,
                        Types.LONG,
                        Types.STRING,
                        Types.LONG,
                        Types.BOOLEAN,
                        Types.LONG,
                        Types.OBJECT_ARRAY(Types.STRING),
                        Types.INT,
                        Types.DOUBLE
                    },
                    new String[] {
                        "slot",
                        "block_time",
                        "fee_payer",
                        "fee",
                        "success",
                        "compute_units",
                        "program_ids",
                        "index",
                        "ratio"
                    });

    static Row tx(long fee, boolean success, Long computeUnits, String... programs) {
        return Row.of(100L, 1_700_000_000L, "payer1", fee, success, computeUnits, programs, 3, 0.5);
    }

    @Test
    void filtersOnFieldsOfEveryKind() {
        RowExpression e =
                RowExpression.compileCondition(
                        "success && fee > 5000 && 'Vote111' in program_ids && index == 3 && ratio < 1",
                        TX);
        assertThat(e.test(tx(6000, true, 10L, "Vote111"))).isTrue();
        assertThat(e.test(tx(4000, true, 10L, "Vote111"))).isFalse();
        assertThat(e.test(tx(6000, false, 10L, "Vote111"))).isFalse();
        assertThat(e.test(tx(6000, true, 10L, "Other"))).isFalse();
    }

    @Test
    void nullFieldsCompareWithNullAndOtherwiseMakeTheResultNull() {
        RowExpression isNull = RowExpression.compileCondition("compute_units == null", TX);
        assertThat(isNull.test(tx(1, true, null))).isTrue();
        assertThat(isNull.test(tx(1, true, 5L))).isFalse();

        RowExpression gt = RowExpression.compileCondition("compute_units > 100", TX);
        assertThat(gt.test(tx(1, true, null))).isFalse();
        assertThat(gt.evaluate(tx(1, true, null))).isNull();
        assertThat(gt.test(tx(1, true, 101L))).isTrue();
    }

    @Test
    void resultTypesMapToFlinkTypes() {
        assertThat(RowExpression.compile("fee * 2", TX).resultType()).isEqualTo(Types.LONG);
        assertThat(RowExpression.compile("index + 1", TX).resultType()).isEqualTo(Types.LONG);
        assertThat(RowExpression.compile("ratio * 2.0", TX).resultType()).isEqualTo(Types.DOUBLE);
        assertThat(RowExpression.compile("fee_payer + '!'", TX).resultType())
                .isEqualTo(Types.STRING);
        assertThat(RowExpression.compile("program_ids", TX).resultType())
                .isEqualTo(Types.OBJECT_ARRAY(Types.STRING));
        assertThat(RowExpression.compile("program_ids + ['x']", TX).resultType())
                .isEqualTo(Types.OBJECT_ARRAY(Types.STRING));
        assertThat(RowExpression.compile("index", TX).resultType()).isEqualTo(Types.INT);
        assertThat(RowExpression.compile("index + 1", TX).evaluate(tx(1, true, 1L))).isEqualTo(4L);
        assertThat(
                        (String[])
                                RowExpression.compile("program_ids + ['x']", TX)
                                        .evaluate(tx(1, true, 1L, "a")))
                .containsExactly("a", "x");
    }

    @Test
    void unknownFieldListsTheKnownFields() {
        assertThatThrownBy(() -> RowExpression.compile("fees > 5", TX))
                .isInstanceOf(ExpressionException.class)
                .hasMessage(
                        "expression 'fees > 5' at column 1: unknown field 'fees'; known fields: slot,"
                                + " block_time, fee_payer, fee, success, compute_units, program_ids, index, ratio");
    }

    @Test
    void typeErrorNamesTheOperatorAndTypes() {
        ExpressionException e =
                (ExpressionException)
                        org.assertj.core.api.Assertions.catchThrowable(
                                () -> RowExpression.compile("success && fee > 'x'", TX));
        assertThat(e)
                .hasMessage(
                        "expression 'success && fee > 'x'' at column 16: found no matching overload for"
                                + " '>' applied to '(int, string)'");
        assertThat(e.column()).isEqualTo(16);
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.detail()).startsWith("found no matching overload");
    }

    @Test
    void syntaxErrorsAndSeveralErrors() {
        assertThatThrownBy(() -> RowExpression.compile("fee >", TX))
                .hasMessageStartingWith(
                        "expression 'fee >' at column 6: the expression ends too early");
        assertThatThrownBy(() -> RowExpression.compile("fe > 1 ||\n  succes", TX))
                .hasMessage(
                        "expression 'fe > 1 ||\n  succes' at column 1: unknown field 'fe'; known fields: slot,"
                                + " block_time, fee_payer, fee, success, compute_units, program_ids, index, ratio;"
                                + " and at column 3: unknown field 'succes'; known fields: slot, block_time,"
                                + " fee_payer, fee, success, compute_units, program_ids, index, ratio");
        assertThatThrownBy(() -> RowExpression.compile("lower(fee_payer) == 'a'", TX))
                .hasMessage(
                        "expression 'lower(fee_payer) == 'a'' at column 6: unknown function 'lower'");
        assertThatThrownBy(() -> RowExpression.compile("   ", TX))
                .hasMessage("expression '   ': the expression is empty");
    }

    @Test
    void conditionMustBeBool() {
        assertThatThrownBy(() -> RowExpression.compileCondition("fee + 1", TX))
                .hasMessage(
                        "expression 'fee + 1': a condition must be a bool (true or false), but this expression is int");
    }

    @Test
    void evaluationErrorsOtherThanNullsFailLoudly() {
        RowExpression e = RowExpression.compile("fee / (fee - fee)", TX);
        assertThatThrownBy(() -> e.evaluate(tx(5, true, 1L)))
                .isInstanceOf(ExpressionException.class)
                .hasMessage("expression 'fee / (fee - fee)': evaluation failed: divide by zero");
        RowExpression interpreted = RowExpression.compile("fee / (fee - fee)", TX, false);
        assertThatThrownBy(() -> interpreted.evaluate(tx(5, true, 1L)))
                .isInstanceOf(ExpressionException.class)
                .hasMessageStartingWith("expression 'fee / (fee - fee)': evaluation failed:")
                .hasMessageContaining("/ by zero");
    }

    @Test
    void survivesJavaSerializationAndRecompilesOnTheTask() throws Exception {
        RowFilter f = RowFilter.of("fee >= 10 && success", TX);
        RowFilter copy = InstantiationUtil.clone(f);
        assertThat(copy.filter(tx(10, true, null))).isTrue();
        assertThat(copy.filter(tx(9, true, null))).isFalse();
    }

    @Test
    void projectionComputesNamedColumns() throws Exception {
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("payer", "fee_payer");
        cols.put("fee_sol", "double(fee) / 1e9");
        cols.put("programs", "size(program_ids)");
        cols.put("failed", "!success");
        RowProjection p = InstantiationUtil.clone(RowProjection.of(cols, TX));
        assertThat(p.outputType().toString())
                .isEqualTo("Row(payer: String, fee_sol: Double, programs: Long, failed: Boolean)");
        assertThat(p.map(tx(5000, false, null, "a", "b")))
                .isEqualTo(Row.of("payer1", 5.0e-6, 2L, true));
    }

    @Test
    void projectionRejectsBadNames() {
        assertThatThrownBy(() -> RowProjection.of(Map.of("Bad-Name", "fee"), TX))
                .hasMessage(
                        "projection column name 'Bad-Name' is not valid: use letters, digits and '_'"
                                + " (snake_case), not starting with a digit");
    }
}
