package io.ipdm.connectors.solana.wire;

/**
 * Solana's compact-u16 ({@code short_vec} length): 1-3 bytes, 7 bits each, least significant first,
 * high bit = more; the minimal encoding only, at most 65535. The one decoder of it: wire
 * transactions and Old Faithful's bincode metadata both read their lengths here.
 *
 * <pre>
 *   0xxxxxxx                      0..127
 *   1xxxxxxx 0xxxxxxx             128..16383
 *   1xxxxxxx 1xxxxxxx 000000xx    16384..65535
 * </pre>
 */
public final class ShortVec {
    private ShortVec() {}

    /** Why bytes are not a compact-u16. */
    public enum Problem {
        /** The input ended before the last byte. */
        TRUNCATED,
        /** A trailing zero byte: not the minimal encoding. */
        NON_CANONICAL,
        /** The value exceeds 65535. */
        TOO_LARGE,
        /** A third byte still had its continuation bit. */
        TOO_LONG
    }

    /** Bytes that are not a compact-u16: the problem and the offset it was found at. */
    public static final class MalformedException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final Problem problem;
        private final int offset;

        MalformedException(Problem problem, int offset) {
            super("compact-u16 at byte " + offset + ": " + problem);
            this.problem = problem;
            this.offset = offset;
        }

        public Problem problem() {
            return problem;
        }

        /** Where the missing byte would be for TRUNCATED, else where the value starts. */
        public int offset() {
            return offset;
        }
    }

    /**
     * Decodes the compact-u16 at {@code pos}, reading no byte at or past {@code end}.
     *
     * @return the value in the low 16 bits and the number of bytes taken (1-3) above them
     * @throws MalformedException when the bytes are not a minimal compact-u16 within range
     */
    public static int read(byte[] buf, int pos, int end) {
        int value = 0;
        for (int i = 0; i < 3; i++) {
            if (pos + i >= end) {
                throw new MalformedException(Problem.TRUNCATED, pos + i);
            }
            int b = buf[pos + i] & 0xff;
            value |= (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i > 0 && b == 0) {
                    throw new MalformedException(Problem.NON_CANONICAL, pos);
                }
                if (value > 0xffff) {
                    throw new MalformedException(Problem.TOO_LARGE, pos);
                }
                return value | (i + 1) << 16;
            }
        }
        throw new MalformedException(Problem.TOO_LONG, pos);
    }

    /** The value of a {@link #read} result. */
    public static int value(int read) {
        return read & 0xffff;
    }

    /** The bytes taken by a {@link #read} result. */
    public static int length(int read) {
        return read >>> 16;
    }
}
