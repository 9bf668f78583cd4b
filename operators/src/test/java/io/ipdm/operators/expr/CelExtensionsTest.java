package io.ipdm.operators.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * CEL's string, math and encoder extensions and {@code json()} over a transaction's error, and the
 * hint a mixed int/double operation gets.
 */
class CelExtensionsTest {
    static final RowTypeInfo TX =
            new RowTypeInfo(
                    new TypeInformation<?>[] {Types.LONG, Types.STRING, Types.STRING},
                    new String[] {"fee", "error", "memo"});

    static Row tx(long fee, String error, String memo) {
        return Row.of(fee, error, memo);
    }

    static Object eval(String expr, Row row) {
        return RowExpression.compile(expr, TX).evaluate(row);
    }

    @Test
    void customErrorCodeFromTheErrorJson() {
        Row failed = tx(5000, "{\"InstructionError\":[2,{\"Custom\":6023}]}", null);
        assertThat(eval("int(json(error).InstructionError[1].Custom)", failed)).isEqualTo(6023L);
        assertThat(eval("int(json(error).InstructionError[0])", failed)).isEqualTo(2L);
        assertThat(eval("'Custom' in json(error).InstructionError[1]", failed)).isEqualTo(true);
        Row other = tx(5000, "{\"InstructionError\":[0,\"InvalidAccountData\"]}", null);
        assertThat(eval("string(json(error).InstructionError[1])", other))
                .isEqualTo("InvalidAccountData");
        assertThat(RowExpression.compile("int(json(error).InstructionError[0])", TX).resultType())
                .isEqualTo(Types.LONG);
    }

    @Test
    void stringsMathAndEncoders() {
        Row r = tx(7, "x", "swap:ray:42");
        assertThat(eval("memo.split(':')[1]", r)).isEqualTo("ray");
        assertThat(eval("memo.substring(5)", r)).isEqualTo("ray:42");
        assertThat(eval("memo.indexOf(':')", r)).isEqualTo(4L);
        assertThat(eval("memo.lastIndexOf(':')", r)).isEqualTo(8L);
        assertThat(eval("memo.upperAscii()", r)).isEqualTo("SWAP:RAY:42");
        assertThat(eval("math.greatest(fee, 10)", r)).isEqualTo(10L);
        assertThat(eval("math.abs(-fee)", r)).isEqualTo(7L);
        assertThat(eval("base64.encode(b'ipdm')", r)).isEqualTo("aXBkbQ==");
    }

    @Test
    void badJsonIsAnEvaluationErrorNamingTheText() {
        assertThatThrownBy(() -> eval("string(json(error).a)", tx(1, "{oops", null)))
                .hasMessageContaining("json(): not JSON");
    }

    @Test
    void mixedIntAndDoubleSuggestsTheConversion() {
        assertThatThrownBy(() -> RowExpression.compile("fee / 1e9", TX))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("CEL does not mix int and double")
                .hasMessageContaining("double(fee) / 1e9");
    }
}
