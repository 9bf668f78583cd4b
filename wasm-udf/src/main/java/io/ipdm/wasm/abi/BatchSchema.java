package io.ipdm.wasm.abi;

import java.util.List;
import java.util.stream.Collectors;

/** The columns of a batch, in order. */
public record BatchSchema(List<Column> columns) implements java.io.Serializable {
    public BatchSchema {
        columns = List.copyOf(columns);
    }

    public static BatchSchema of(Column... columns) {
        return new BatchSchema(List.of(columns));
    }

    public int size() {
        return columns.size();
    }

    public Column column(int i) {
        return columns.get(i);
    }

    /** Index of the column with this name, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return columns.stream().map(Column::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
