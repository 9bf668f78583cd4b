package io.ipdm.wasm.abi;

/** A named, typed column of a batch schema. */
public record Column(String name, ColumnType type, boolean nullable)
        implements java.io.Serializable {
    @Override
    public String toString() {
        return name + ": " + type + (nullable ? "" : " not null");
    }
}
