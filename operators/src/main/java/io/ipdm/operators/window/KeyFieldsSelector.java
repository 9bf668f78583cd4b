package io.ipdm.operators.window;

import java.io.Serial;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.types.Row;

/**
 * The key of a row: a row of its key fields, or the constant key {@code ("all")} when there are
 * none (one window per period for the whole stream).
 */
final class KeyFieldsSelector implements KeySelector<Row, Row> {
    @Serial private static final long serialVersionUID = 1L;

    static final Row ALL = Row.of("all");

    private final int[] positions;

    KeyFieldsSelector(int[] positions) {
        this.positions = positions;
    }

    @Override
    public Row getKey(Row row) {
        if (positions.length == 0) {
            return ALL;
        }
        Row key = new Row(positions.length);
        for (int i = 0; i < positions.length; i++) {
            key.setField(i, row.getField(positions[i]));
        }
        return key;
    }
}
