package io.ipdm.multiformats;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Base58 with the Bitcoin alphabet (multibase "base58btc", prefix {@code z}); leading zero bytes
 * map to '1'.
 *
 * <p>Works on 32-bit limbs, five base58 digits per step (58^5 fits in 32 bits): Solana's base58
 * getBlock encoding carries whole ~1.6 KB transactions, where a byte-at-a-time conversion is
 * quadratic in bytes and costs seconds per block.
 */
public final class Base58 {
    private static final byte[] ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
                    .getBytes(StandardCharsets.US_ASCII);
    private static final int[] INDEXES = new int[128];
    private static final long POW58_5 = 656_356_768L; // 58^5
    private static final int[] POW58 = {1, 58, 58 * 58, 58 * 58 * 58, 58 * 58 * 58 * 58};

    static {
        Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEXES[ALPHABET[i]] = i;
        }
    }

    private Base58() {}

    public static String encode(byte[] in) {
        int zeros = 0;
        while (zeros < in.length && in[zeros] == 0) {
            zeros++;
        }
        int n = in.length - zeros;
        int limbCount = (n + 3) / 4;
        // Big-endian limbs; the first holds the 1-4 most significant bytes.
        int[] limbs = new int[limbCount];
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
                limbs[i] = (int) (cur / POW58_5);
                rem = cur % POW58_5;
            }
            while (start < limbCount && limbs[start] == 0) {
                start++;
            }
            for (int k = 0; k < 5; k++) {
                out[--pos] = ALPHABET[(int) (rem % 58)];
                rem /= 58;
            }
        }
        while (pos < out.length && out[pos] == '1') {
            pos++;
        }
        for (int i = 0; i < zeros; i++) {
            out[--pos] = '1';
        }
        return new String(out, pos, out.length - pos, StandardCharsets.ISO_8859_1);
    }

    /**
     * @throws MultiformatException naming the first character outside the alphabet
     */
    public static byte[] decode(String s) {
        int len = s.length();
        int zeros = 0;
        while (zeros < len && s.charAt(zeros) == '1') {
            zeros++;
        }
        // Little-endian limbs; 733/4000 bounds log(58)/log(2^32) per digit.
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
                    throw new MultiformatException(
                            "invalid base58btc character '" + c + "' at position " + i);
                }
                add = add * 58 + d;
            }
            long mul = k == 5 ? POW58_5 : POW58[k];
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
        int skip = used > 0 ? Integer.numberOfLeadingZeros(limbs[used - 1]) / 8 : 0;
        byte[] out = new byte[zeros + used * 4 - skip];
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
