package io.ipdm.connectors.lakes.faithful;

import io.ipdm.connectors.solana.wire.ShortVec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rust bincode 1.x with Solana's options: little-endian fixed-width integers, u64 lengths, u32 enum
 * tags, one-byte Option tags; {@code short_vec} (compact-u16) lengths where Solana asks.
 */
final class BincodeReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    BincodeReader(byte[] buf) {
        this(buf, buf.length);
    }

    /** Over {@code buf[0, end)}. */
    BincodeReader(byte[] buf, int end) {
        this.buf = buf;
        this.end = end;
    }

    boolean atEnd() {
        return pos >= end;
    }

    int remaining() {
        return end - pos;
    }

    int u8() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    long u32() {
        need(4);
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFF);
        }
        pos += 4;
        return v;
    }

    long u64() {
        need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    /** A u64 length bounded by the bytes left, each element taking at least {@code minSize}. */
    int length(int minSize) {
        long n = u64();
        if (n < 0 || n * Math.max(1, minSize) > remaining()) {
            throw new MetaFormatException(
                    "bincode length " + Long.toUnsignedString(n) + " exceeds the input");
        }
        return (int) n;
    }

    int shortVecLength() {
        int read;
        try {
            read = ShortVec.read(buf, pos, end);
        } catch (ShortVec.MalformedException e) {
            throw switch (e.problem()) {
                case TRUNCATED ->
                        new MetaFormatException(
                                "bincode truncated at byte " + e.offset() + " (needs 1 more)");
                case TOO_LONG -> new MetaFormatException("short_vec length longer than 3 bytes");
                case NON_CANONICAL ->
                        new MetaFormatException(
                                "non-canonical short_vec length at byte " + e.offset());
                case TOO_LARGE ->
                        new MetaFormatException(
                                "short_vec length at byte " + e.offset() + " exceeds 65535");
            };
        }
        pos += ShortVec.length(read);
        int v = ShortVec.value(read);
        if (v > remaining()) {
            throw new MetaFormatException("short_vec length " + v + " exceeds the input");
        }
        return v;
    }

    byte[] bytes(int n) {
        need(n);
        byte[] v = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return v;
    }

    String string() {
        return new String(bytes(length(1)), StandardCharsets.UTF_8);
    }

    boolean option() {
        int tag = u8();
        if (tag > 1) {
            throw new MetaFormatException("Option tag " + tag + " is neither 0 nor 1");
        }
        return tag == 1;
    }

    private void need(int n) {
        if (n > remaining()) {
            throw new MetaFormatException(
                    "bincode truncated at byte " + pos + " (needs " + n + " more)");
        }
    }
}
