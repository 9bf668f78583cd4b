package io.ipdm.wasm.abi;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Column types of ABI v1 and their Arrow C Data Interface layout in linear memory. Buffers per
 * column: validity bitmap (may be null = all valid), then the type's buffers.
 */
public enum ColumnType {
    INT32("int32", 4),
    INT64("int64", 8),
    /** 64-bit unsigned; on the JVM a long holding the same bits. */
    UINT64("uint64", 8),
    FLOAT64("float64", 8),
    /** One bit per value, least significant bit first. */
    BOOL("bool", 0),
    /** int32 offsets (length + 1) and UTF-8 bytes. */
    UTF8("utf8", -1),
    /** int32 offsets (length + 1) and bytes. */
    BINARY("binary", -1),
    /** 32 bytes per value: public keys, hashes. */
    FIXED_BINARY_32("fixed_size_binary(32)", 32),
    /** int64 milliseconds since the Unix epoch, UTC (Arrow timestamp[ms]). */
    TIMESTAMP("timestamp", 8),
    /** int32 offsets (length + 1) into one utf8 child array. */
    LIST_UTF8("list<utf8>", -1);

    private final String abiName;
    private final int width;

    ColumnType(String abiName, int width) {
        this.abiName = abiName;
        this.width = width;
    }

    /** The name used in descriptors, e.g. {@code fixed_size_binary(32)}. */
    public String abiName() {
        return abiName;
    }

    /** Bytes per value for fixed-width types, 0 for bool (bits), -1 for offset-based types. */
    public int width() {
        return width;
    }

    /** Number of buffers in the column's ArrowArray (validity included). */
    public int bufferCount() {
        return switch (this) {
            case UTF8, BINARY -> 3;
            default -> 2;
        };
    }

    /** Number of child arrays (1 for list&lt;utf8&gt;). */
    public int childCount() {
        return this == LIST_UTF8 ? 1 : 0;
    }

    public static ColumnType parse(String name) {
        for (ColumnType t : values()) {
            if (t.abiName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown column type '"
                        + name
                        + "'; ABI v1 types are "
                        + Arrays.stream(values())
                                .map(ColumnType::abiName)
                                .collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return abiName;
    }
}
