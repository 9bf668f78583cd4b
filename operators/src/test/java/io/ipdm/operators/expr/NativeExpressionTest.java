package io.ipdm.operators.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * The compiled-Java evaluation of the common subset gives the same results as CEL's interpreter, on
 * every expression here and every row (nulls, overflow, division by zero, NaN, empty arrays).
 */
class NativeExpressionTest {
    static final List<String> EXPRESSIONS =
            List.of(
                    "success && fee > 5000",
                    "!success || fee <= 0",
                    "fee > 5000 && 'Vote111' in program_ids",
                    "compute_units == null",
                    "compute_units != null && compute_units > 100",
                    "compute_units > 100 || success",
                    "compute_units > 100 && !success",
                    "fee + compute_units",
                    "fee * 3 - index",
                    "fee / index",
                    "fee % index",
                    "-fee",
                    "fee * fee * fee",
                    "fee + 9223372036854775807",
                    "ratio * 2.0 + 1.5",
                    "ratio / 0.0",
                    "ratio > 0.25",
                    "fee > 0.5",
                    "index == 3",
                    "ratio == 0.5",
                    "fee_payer + '-' + fee_payer",
                    "fee_payer.startsWith('pay') && fee_payer.endsWith('1')",
                    "fee_payer.contains('yer')",
                    "size(fee_payer) + size(program_ids)",
                    "program_ids.size()",
                    "fee_payer < 'q'",
                    "fee_payer in ['payer1', 'x']",
                    "fee in [1, 2, 5000]",
                    "[fee, index]",
                    "program_ids + ['x']",
                    "program_ids == ['Vote111']",
                    "success ? fee : 0",
                    "compute_units == null ? -1 : compute_units",
                    "int(ratio * 10.0)",
                    "double(fee) / 1e9",
                    "success == true",
                    "null == compute_units",
                    "fee > 5000 || fee / (fee - fee) > 1",
                    "fee / (fee - fee) > 1 || fee > 5000",
                    "false && fee / 0 > 1");

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(RowExpressionTest.tx(6000, true, 10L, "Vote111"));
        rows.add(RowExpressionTest.tx(4000, false, null, "Other", "Vote111"));
        rows.add(RowExpressionTest.tx(0, true, 500L));
        rows.add(RowExpressionTest.tx(Long.MAX_VALUE, false, Long.MIN_VALUE, "a"));
        rows.add(RowExpressionTest.tx(-7, true, 0L, "Vote111"));
        Row zeroIndex = RowExpressionTest.tx(9, true, 1L, "x");
        zeroIndex.setField(7, 0);
        zeroIndex.setField(8, Double.NaN);
        rows.add(zeroIndex);
        Row nulls = Row.of(1L, 2L, null, null, null, null, null, null, null);
        rows.add(nulls);
        return rows;
    }

    static Object outcome(RowExpression e, Row row) {
        try {
            Object v = e.evaluate(row);
            return v instanceof Object[] a ? Arrays.asList(a) : v;
        } catch (ExpressionException ex) {
            return "error";
        }
    }

    @Test
    void nativeEvaluationMatchesTheInterpreter() {
        for (String source : EXPRESSIONS) {
            RowExpression fast = RowExpression.compile(source, RowExpressionTest.TX, true);
            RowExpression cel = RowExpression.compile(source, RowExpressionTest.TX, false);
            assertThat(fast.isNative()).as("%s compiles to Java", source).isTrue();
            assertThat(cel.isNative()).isFalse();
            assertThat(fast.resultType()).isEqualTo(cel.resultType());
            for (Row row : rows()) {
                assertThat(outcome(fast, row))
                        .as("%s on %s", source, row)
                        .isEqualTo(outcome(cel, row));
            }
        }
    }

    @Test
    void otherConstructsFallBackToTheInterpreter() {
        for (String source :
                List.of(
                        "program_ids.exists(p, p.startsWith('Vote'))",
                        "fee_payer.matches('^pay.*')",
                        "int(fee_payer) > 0",
                        "string(fee)",
                        "timestamp(block_time) > timestamp('2023-01-01T00:00:00Z')")) {
            RowExpression e = RowExpression.compile(source, RowExpressionTest.TX);
            assertThat(e.isNative()).as(source).isFalse();
            for (Row row : rows()) {
                outcome(e, row); // evaluates without throwing anything but ExpressionException
            }
        }
        assertThat(
                        RowExpression.compile(
                                        "program_ids.exists(p, p.startsWith('Vote'))",
                                        RowExpressionTest.TX)
                                .test(rows().get(0)))
                .isTrue();
    }
}
