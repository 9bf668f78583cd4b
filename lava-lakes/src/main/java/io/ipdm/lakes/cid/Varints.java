package io.ipdm.lakes.cid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Unsigned LEB128 varints as multiformats uses them: at most 9 bytes (63 bits), minimally encoded.
 */
public final class Varints {
    private Varints() {}

    public static int size(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    public static int write(long value, byte[] out, int offset) {
        if (value < 0) {
            throw new CidException("varint value " + value + " is negative");
        }
        int i = offset;
        while ((value & ~0x7FL) != 0) {
            out[i++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[i++] = (byte) value;
        return i - offset;
    }

    public static void write(long value, ByteArrayOutputStream out) {
        byte[] buf = new byte[10];
        out.write(buf, 0, write(value, buf, 0));
    }

    public static byte[] encode(long value) {
        byte[] buf = new byte[size(value)];
        write(value, buf, 0);
        return buf;
    }

    /**
     * Decodes a varint at {@code pos}; returns the value, and stores the number of bytes read in
     * {@code consumed[0]}.
     */
    public static long read(byte[] in, int pos, int limit, int[] consumed) {
        long value = 0;
        for (int i = 0; i < 9; i++) {
            if (pos + i >= limit) {
                throw new CidException("varint truncated after " + i + " bytes");
            }
            int b = in[pos + i] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new CidException("varint is not minimally encoded");
                }
                consumed[0] = i + 1;
                return value;
            }
        }
        throw new CidException("varint longer than 9 bytes");
    }

    /** Reads a varint from a stream; returns -1 on a clean end of stream before the first byte. */
    public static long read(InputStream in) throws IOException {
        long value = 0;
        for (int i = 0; i < 9; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    return -1;
                }
                throw new CidException("varint truncated after " + i + " bytes");
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new CidException("varint is not minimally encoded");
                }
                return value;
            }
        }
        throw new CidException("varint longer than 9 bytes");
    }
}
