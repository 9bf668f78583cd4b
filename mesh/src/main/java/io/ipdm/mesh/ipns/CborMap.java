package io.ipdm.mesh.ipns;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The subset of DAG-CBOR an IPNS record's {@code data} uses: one map with text keys and unsigned
 * integer, byte string or text string values (others are skipped if simple, else refused). Lengths
 * are checked against the input.
 */
final class CborMap {
    private final byte[] b;
    private int pos;

    private CborMap(byte[] b) {
        this.b = b;
    }

    static Map<String, Object> decode(byte[] data) {
        CborMap c = new CborMap(data);
        int[] head = c.head();
        if (head[0] != 5) {
            throw new IpnsException("IPNS data is not a CBOR map");
        }
        Map<String, Object> out = new HashMap<>();
        long entries = c.arg;
        for (long i = 0; i < entries; i++) {
            int[] kh = c.head();
            if (kh[0] != 3) {
                throw new IpnsException("IPNS data has a non-text key");
            }
            String k = new String(c.take(c.arg), StandardCharsets.UTF_8);
            int[] vh = c.head();
            Object v =
                    switch (vh[0]) {
                        case 0 -> c.arg;
                        case 2 -> c.take(c.arg);
                        case 3 -> new String(c.take(c.arg), StandardCharsets.UTF_8);
                        default ->
                                throw new IpnsException(
                                        "IPNS data field " + k + " has CBOR type " + vh[0]);
                    };
            out.put(k, v);
        }
        if (c.pos != data.length) {
            throw new IpnsException("IPNS data has bytes after its map");
        }
        return out;
    }

    private long arg;

    /** Reads an item head: {major type}; its argument goes to {@link #arg}. */
    private int[] head() {
        if (pos >= b.length) {
            throw new IpnsException("IPNS data: CBOR ends early");
        }
        int ib = b[pos++] & 0xff;
        int major = ib >>> 5;
        int info = ib & 0x1f;
        if (info < 24) {
            arg = info;
        } else if (info <= 27) {
            int n = 1 << (info - 24);
            if (pos + n > b.length) {
                throw new IpnsException("IPNS data: CBOR ends early");
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (b[pos++] & 0xff);
            }
            if (v < 0) {
                throw new IpnsException("IPNS data: CBOR integer too large");
            }
            arg = v;
        } else {
            throw new IpnsException("IPNS data: indefinite or reserved CBOR length");
        }
        return new int[] {major};
    }

    private byte[] take(long n) {
        if (n > b.length - pos) {
            throw new IpnsException("IPNS data: CBOR string longer than the input");
        }
        byte[] out = Arrays.copyOfRange(b, pos, pos + (int) n);
        pos += (int) n;
        return out;
    }
}
