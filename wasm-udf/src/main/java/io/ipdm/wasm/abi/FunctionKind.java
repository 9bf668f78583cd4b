package io.ipdm.wasm.abi;

/** What a declared function does with a batch; decides its exports and signatures. */
public enum FunctionKind {
    /** {@code name(batch) -> out}: one output row per input row. */
    MAP,
    /** {@code name(batch) -> selection}: a bitmap of the rows to keep. */
    FILTER,
    /** {@code name(batch) -> out}: any number of output rows. */
    FLAT_MAP,
    /** {@code name_create/_add/_merge/_result} (+ optional {@code _snapshot/_restore}). */
    AGGREGATE;

    public String abiName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace("_", "");
    }

    public static FunctionKind parse(String s) {
        for (FunctionKind k : values()) {
            if (k.abiName().equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown function kind '"
                        + s
                        + "'; ABI v1 kinds are map, filter, flatmap, aggregate");
    }
}
