package io.ipdm.connectors.solana.wire;

import io.ipdm.mesh.multiformats.Base58;

/**
 * Decodes long base58 text (whole transactions in getBlock's {@code base58} encoding, ~1.6 KB) with
 * 32-bit limbs and five digits per step. {@link Base58} from mesh is byte-at-a-time and quadratic
 * in bytes, which costs seconds per large block; for keys and signatures use it.
 */
public final class Base58Payload {
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

    private Base58Payload() {}

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
