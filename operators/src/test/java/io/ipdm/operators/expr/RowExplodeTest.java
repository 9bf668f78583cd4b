package io.ipdm.operators.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class RowExplodeTest {
    static final RowTypeInfo IN =
            new RowTypeInfo(
                    new TypeInformation<?>[] {
                        Types.STRING, Types.OBJECT_ARRAY(Types.STRING), Types.LONG
                    },
                    new String[] {"signature", "program_ids", "fee"});

    static List<Row> explode(RowExplode x, Row in) {
        List<Row> out = new ArrayList<>();
        x.flatMap(in, new ListCollector<>(out));
        return out;
    }

    @Test
    void oneRowPerElementWithTheElementInPlace() {
        RowExplode x = RowExplode.of(IN, "program_ids", "program_id", false);
        assertThat(x.outputType().toString())
                .isEqualTo("Row(signature: String, program_id: String, fee: Long)");
        assertThat(explode(x, Row.of("s", new String[] {"p1", "p2", "p1"}, 5L)))
                .containsExactly(
                        Row.of("s", "p1", 5L), Row.of("s", "p2", 5L), Row.of("s", "p1", 5L));
        assertThat(explode(x, Row.of("s", new String[0], 5L))).isEmpty();
        assertThat(explode(x, Row.of("s", null, 5L))).isEmpty();
    }

    @Test
    void explodesListsAndObjectArraysToo() {
        RowTypeInfo lists =
                new RowTypeInfo(
                        new TypeInformation<?>[] {
                            Types.LIST(Types.LONG), ObjectArrayTypeInfo.getInfoFor(Types.INT)
                        },
                        new String[] {"slots", "indexes"});
        RowExplode bySlot = RowExplode.of(lists, "slots", "slot", false);
        assertThat(bySlot.outputType().toString())
                .isEqualTo("Row(slot: Long, indexes: ObjectArrayTypeInfo<Integer>)");
        Integer[] idx = {1};
        assertThat(explode(bySlot, Row.of(List.of(5L, 6L), idx)))
                .containsExactly(Row.of(5L, idx), Row.of(6L, idx));
        RowExplode byIndex = RowExplode.of(lists, "indexes", "index", false);
        assertThat(byIndex.outputType().getTypeAt(1)).isEqualTo(Types.INT);
        assertThat(
                        RowExpression.compileCondition("5 in slots && 1 in indexes", lists)
                                .test(Row.of(List.of(5L), new Integer[] {1})))
                .isTrue();
    }

    @Test
    void distinctDropsRepeatsWithinARow() {
        RowExplode x = RowExplode.of(IN, "program_ids", "program_id", true);
        assertThat(explode(x, Row.of("s", new String[] {"p1", "p2", "p1", null}, 5L)))
                .containsExactly(Row.of("s", "p1", 5L), Row.of("s", "p2", 5L));
    }

    @Test
    void keepsOnlyTheFieldsAskedFor() {
        RowExplode x = RowExplode.of(IN, "program_ids", "program_id", true, Set.of("program_id"));
        assertThat(x.outputType().toString()).isEqualTo("Row(program_id: String)");
        assertThat(explode(x, Row.of("s", new String[] {"p1", "p2", "p1"}, 5L)))
                .containsExactly(Row.of("p1"), Row.of("p2"));
        RowExplode feeOnly = RowExplode.of(IN, "program_ids", "program_id", false, Set.of("fee"));
        assertThat(feeOnly.outputType().toString()).isEqualTo("Row(fee: Long)");
        assertThat(explode(feeOnly, Row.of("s", new String[] {"p1", "p2"}, 5L)))
                .containsExactly(Row.of(5L), Row.of(5L));
        RowExplode none = RowExplode.of(IN, "program_ids", "program_id", false, Set.of());
        assertThat(none.outputType().toString()).isEqualTo("Row(program_id: String)");
    }

    @Test
    void rejectsNonArraysAndClashingNames() {
        assertThatThrownBy(() -> RowExplode.of(IN, "fee", "f", false))
                .hasMessage("explode: field 'fee' has type Long, not an array or list");
        assertThatThrownBy(() -> RowExplode.of(IN, "programs", "p", false))
                .hasMessage(
                        "explode: unknown field 'programs'; known fields: signature, program_ids, fee");
        assertThatThrownBy(() -> RowExplode.of(IN, "program_ids", "fee", false))
                .hasMessage("explode: element field 'fee' is already a field of the input");
    }
}
