package io.ipdm.wasm.abi;

/**
 * {@code struct ArrowArray} of the Arrow C Data Interface as laid out by wasm32 (4-byte pointers,
 * 8-byte aligned int64). Byte offsets:
 *
 * <pre>
 *  0 int64 length        8 int64 null_count   16 int64 offset
 * 24 int64 n_buffers    32 int64 n_children
 * 40 u32 buffers (-> u32[n_buffers])   44 u32 children (-> u32[n_children])
 * 48 u32 dictionary     52 u32 release (unused, 0)   56 u32 private_data (unused)
 * size 64
 * </pre>
 *
 * See https://arrow.apache.org/docs/format/CDataInterface.html#the-arrowarray-structure
 */
final class ArrowArrayLayout {
    static final int LENGTH = 0;
    static final int NULL_COUNT = 8;
    static final int OFFSET = 16;
    static final int N_BUFFERS = 24;
    static final int N_CHILDREN = 32;
    static final int BUFFERS = 40;
    static final int CHILDREN = 44;
    static final int DICTIONARY = 48;
    static final int RELEASE = 52;
    static final int PRIVATE_DATA = 56;
    static final int SIZE = 64;

    private ArrowArrayLayout() {}

    static int align8(int n) {
        return (n + 7) & ~7;
    }
}
