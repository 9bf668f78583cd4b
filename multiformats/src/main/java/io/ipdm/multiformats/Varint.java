package io.ipdm.multiformats;

import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 varints as the multiformats unsigned-varint spec defines them: at most 9 bytes
 * (63 bits), and the minimal encoding only (a trailing 0x00 continuation byte is rejected, so each
 * value has exactly one encoding).
 */
public final class Varint {
    /** The spec's practical maximum: 9 bytes carry 63 bits. */
    public static final int MAX_BYTES = 9;

    private Varint() {}

    /** A decoded value and the number of bytes it took. */
    public record Decoded(long value, int length) {}

    public static int encodedLength(long value) {
        requireNonNegative(value);
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    public static byte[] encode(long value) {
        byte[] out = new byte[encodedLength(value)];
        write(value, out, 0);
        return out;
    }

    /** Writes {@code value} at {@code offset}; returns the number of bytes written. */
    public static int write(long value, byte[] dst, int offset) {
        requireNonNegative(value);
        int i = offset;
        while ((value & ~0x7FL) != 0) {
            dst[i++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        dst[i++] = (byte) value;
        return i - offset;
    }

    public static void write(long value, ByteBuffer dst) {
        requireNonNegative(value);
        while ((value & ~0x7FL) != 0) {
            dst.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        dst.put((byte) value);
    }

    /**
     * Reads a varint starting at {@code offset} of {@code src}; it must end before {@code limit}.
     */
    public static Decoded read(byte[] src, int offset, int limit) {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (offset + i >= limit) {
                throw new MultiformatException("varint truncated after " + i + " bytes");
            }
            int b = src[offset + i] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new MultiformatException("varint not minimally encoded");
                }
                return new Decoded(value, i + 1);
            }
        }
        throw new MultiformatException("varint longer than " + MAX_BYTES + " bytes");
    }

    public static Decoded read(byte[] src, int offset) {
        return read(src, offset, src.length);
    }

    /** Reads a varint at the buffer's position and advances it. */
    public static long read(ByteBuffer src) {
        int start = src.position();
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (!src.hasRemaining()) {
                src.position(start);
                throw new MultiformatException("varint truncated after " + i + " bytes");
            }
            int b = src.get() & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new MultiformatException("varint not minimally encoded");
                }
                return value;
            }
        }
        throw new MultiformatException("varint longer than " + MAX_BYTES + " bytes");
    }

    private static void requireNonNegative(long value) {
        if (value < 0) {
            throw new MultiformatException("varint value must be in [0, 2^63), got " + value);
        }
    }
}
