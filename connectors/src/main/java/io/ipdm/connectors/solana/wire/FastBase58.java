package io.ipdm.connectors.solana.wire;

import io.ipdm.mesh.multiformats.Base58;

/**
 * Decodes long base58 text (whole transactions in getBlock's {@code base58} encoding, ~1.6 KB) with
 * 32-bit limbs and five digits per step. {@link Base58} from mesh is byte-at-a-time and quadratic
 * in bytes, which costs seconds per large block; for keys and signatures use it.
 */
public final class FastBase58 {
    private static final int[] INDEXES = new int[128];
    private static final String ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final int[] POW58 = {1, 58, 58 * 58, 58 * 58 * 58, 58 * 58 * 58 * 58, 656356768};

    static {
        java.util.Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            INDEXES[ALPHABET.charAt(i)] = i;
        }
    }

    private FastBase58() {}

    /** Same result as {@link Base58#encode(byte[])}. */
    public static String encode(byte[] in) {
        int zeros = 0;
        while (zeros < in.length && in[zeros] == 0) {
            zeros++;
        }
        int n = in.length - zeros;
        int limbCount = (n + 3) / 4;
        int[] limbs = new int[limbCount];
        // Big-endian limbs; the first holds the 1-4 most significant bytes.
        int li = limbCount - 1;
        int shift = 0;
        for (int i = in.length - 1; i >= zeros; i--) {
            limbs[li] |= (in[i] & 0xff) << shift;
            shift += 8;
            if (shift == 32) {
                shift = 0;
                li--;
            }
        }
        byte[] out = new byte[zeros + n * 138 / 100 + 6];
        int pos = out.length;
        int start = 0;
        while (start < limbCount) {
            long rem = 0;
            for (int i = start; i < limbCount; i++) {
                long cur = (rem << 32) | (limbs[i] & 0xffffffffL);
                limbs[i] = (int) (cur / 656356768L);
                rem = cur % 656356768L;
            }
            while (start < limbCount && limbs[start] == 0) {
                start++;
            }
            for (int k = 0; k < 5; k++) {
                out[--pos] = (byte) ALPHABET.charAt((int) (rem % 58));
                rem /= 58;
            }
        }
        while (pos < out.length && out[pos] == '1') {
            pos++;
        }
        for (int i = 0; i < zeros; i++) {
            out[--pos] = '1';
        }
        return new String(out, pos, out.length - pos, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Same result as {@link Base58#decode(String)}; throws on characters outside the alphabet. */
    public static byte[] decode(String s) {
        int len = s.length();
        int zeros = 0;
        while (zeros < len && s.charAt(zeros) == '1') {
            zeros++;
        }
        int[] limbs = new int[(len - zeros) * 733 / 4000 + 2];
        int used = 0;
        int i = zeros;
        while (i < len) {
            int k = Math.min(5, len - i);
            long add = 0;
            for (int end = i + k; i < end; i++) {
                char c = s.charAt(i);
                int d = c < 128 ? INDEXES[c] : -1;
                if (d < 0) {
                    throw new IllegalArgumentException(
                            "invalid base58 character '" + c + "' at position " + i);
                }
                add = add * 58 + d;
            }
            long mul = POW58[k];
            long carry = add;
            for (int j = 0; j < used; j++) {
                long t = (limbs[j] & 0xffffffffL) * mul + carry;
                limbs[j] = (int) t;
                carry = t >>> 32;
            }
            if (carry != 0) {
                limbs[used++] = (int) carry;
            }
        }
        int byteLen = used * 4;
        int skip = 0;
        if (used > 0) {
            int top = limbs[used - 1];
            skip = Integer.numberOfLeadingZeros(top) / 8;
        }
        byte[] out = new byte[zeros + byteLen - skip];
        int p = out.length - 1;
        for (int j = 0; j < used; j++) {
            int v = limbs[j];
            for (int b = 0; b < 4 && p >= zeros; b++) {
                out[p--] = (byte) v;
                v >>>= 8;
            }
        }
        return out;
    }
}
