package io.ipdm.mesh.ipns;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads an IPNS record's {@code data}: one DAG-CBOR map with text keys. Unsigned integer, byte
 * string and text string values are returned; any other value (the spec's "extensible data": nested
 * maps, lists, CIDs as tag 42, negative integers, floats, booleans, null) is checked and skipped,
 * as the spec says unexpected fields must be ignored. DAG-CBOR's strictness is kept where a second
 * reading could differ: definite lengths only, shortest argument encodings, no duplicate keys, no
 * {@code undefined}, no half or single floats, no tags but 42, nesting at most {@value #MAX_DEPTH}
 * deep. Lengths are checked against the input before anything is allocated.
 *
 * <pre>
 * item head: | major (3 bits) | info (5 bits) | argument: info < 24, or 1/2/4/8 bytes (info 24-27) |
 * </pre>
 */
final class CborMap {
    static final int MAX_DEPTH = 16;
    private static final int TAG_CID = 42;

    private final byte[] b;
    private int pos;
    private long arg;
    private int info;

    private CborMap(byte[] b) {
        this.b = b;
    }

    static Map<String, Object> decode(byte[] data) {
        CborMap c = new CborMap(data);
        if (c.head() != 5) {
            throw new IpnsException("IPNS data is not a CBOR map");
        }
        Map<String, Object> out = new HashMap<>();
        long entries = c.arg;
        for (long i = 0; i < entries; i++) {
            if (c.head() != 3) {
                throw new IpnsException("IPNS data has a non-text key at byte " + (c.pos - 1));
            }
            String k = new String(c.take(c.arg), StandardCharsets.UTF_8);
            if (out.containsKey(k)) {
                throw new IpnsException("IPNS data has the key " + k + " twice");
            }
            int at = c.pos;
            int major = c.head();
            Object v =
                    switch (major) {
                        case 0 -> c.arg;
                        case 2 -> c.take(c.arg);
                        case 3 -> new String(c.take(c.arg), StandardCharsets.UTF_8);
                        default -> {
                            c.pos = at;
                            c.skip(1);
                            yield Skipped.INSTANCE;
                        }
                    };
            out.put(k, v);
        }
        if (c.pos != data.length) {
            throw new IpnsException(
                    "IPNS data has " + (data.length - c.pos) + " bytes after its map");
        }
        return out;
    }

    /** The value of a field of another CBOR type (checked, not kept). */
    enum Skipped {
        INSTANCE
    }

    /** Skips one whole item at {@code depth}. */
    private void skip(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IpnsException("IPNS data nests deeper than " + MAX_DEPTH + " levels");
        }
        int major = head();
        switch (major) {
            case 0, 1 -> {}
            case 2, 3 -> take(arg);
            case 4 -> {
                long n = arg;
                for (long i = 0; i < n; i++) {
                    skip(depth + 1);
                }
            }
            case 5 -> {
                long n = arg;
                for (long i = 0; i < n; i++) {
                    if (head() != 3) {
                        throw new IpnsException("IPNS data: a nested map has a non-text key");
                    }
                    take(arg);
                    skip(depth + 1);
                }
            }
            case 6 -> {
                if (arg != TAG_CID) {
                    throw new IpnsException("IPNS data: CBOR tag " + arg + " (DAG-CBOR allows 42)");
                }
                skip(depth + 1);
            }
            default -> {
                // major 7: false, true, null, or a float64 (read by head as its 8-byte argument)
                if (info != 20 && info != 21 && info != 22 && info != 27) {
                    throw new IpnsException(
                            "IPNS data: CBOR simple value or float with info "
                                    + info
                                    + " (DAG-CBOR allows false, true, null, float64)");
                }
            }
        }
    }

    /** Reads an item head and returns its major type; its argument goes to {@link #arg}. */
    private int head() {
        if (pos >= b.length) {
            throw new IpnsException("IPNS data: CBOR ends early at byte " + pos);
        }
        int ib = b[pos++] & 0xff;
        int major = ib >>> 5;
        info = ib & 0x1f;
        if (info < 24) {
            arg = info;
        } else if (info <= 27) {
            int n = 1 << (info - 24);
            if (pos + n > b.length) {
                throw new IpnsException("IPNS data: CBOR ends early at byte " + b.length);
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (b[pos++] & 0xff);
            }
            if (major != 7) {
                if (v < 0) {
                    throw new IpnsException("IPNS data: CBOR integer above 2^63-1");
                }
                long min = n == 1 ? 24 : n == 2 ? 0x100 : n == 4 ? 0x10000 : 0x1_0000_0000L;
                if (v < min) {
                    throw new IpnsException(
                            "IPNS data: CBOR argument "
                                    + v
                                    + " not in its shortest form at byte "
                                    + (pos - n - 1)
                                    + " (DAG-CBOR requires it)");
                }
            }
            arg = v;
        } else {
            throw new IpnsException(
                    "IPNS data: indefinite or reserved CBOR length at byte "
                            + (pos - 1)
                            + " (DAG-CBOR allows definite lengths only)");
        }
        return major;
    }

    private byte[] take(long n) {
        if (n > b.length - pos) {
            throw new IpnsException(
                    "IPNS data: CBOR string of " + n + " bytes longer than the input");
        }
        byte[] out = Arrays.copyOfRange(b, pos, pos + (int) n);
        pos += (int) n;
        return out;
    }
}
