package io.ipdm.connectors.solana.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.connectors.solana.SolanaTable;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/** Checks that a row's values have the Java classes its table's RowTypeInfo declares. */
public final class RowTypes {
    private static final Map<SolanaTable, RowTypeInfo> TYPES = new EnumMap<>(SolanaTable.class);

    static {
        for (SolanaTable t : SolanaTable.values()) {
            TYPES.put(t, t.rowType());
        }
    }

    private RowTypes() {}

    public static void assertConforms(SolanaTable table, Row row) {
        RowTypeInfo type = TYPES.get(table);
        if (row.getArity() != type.getArity()) {
            assertThat(row.getArity()).as(table + " arity").isEqualTo(type.getArity());
        }
        for (int i = 0; i < type.getArity(); i++) {
            Object v = row.getField(i);
            if (v != null && !type.getTypeAt(i).getTypeClass().isInstance(v)) {
                assertThat(v)
                        .as(table + "." + type.getFieldNames()[i])
                        .isInstanceOf(type.getTypeAt(i).getTypeClass());
            }
        }
    }
}
