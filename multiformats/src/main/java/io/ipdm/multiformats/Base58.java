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
        char[] chars = s.toCharArray();
        int zeros = 0;
        while (zeros < chars.length && chars[zeros] == '1') {
            zeros++;
        }
        byte[] out = new byte[zeros + (chars.length - zeros) * 733 / 1000 + 1];
        int n = decode(chars, 0, chars.length, out, 0);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * An upper bound of the bytes {@code chars} base58 characters decode to (a leading '1' is a
     * zero byte, any other digit less than one).
     */
    public static int maxDecodedLength(int chars) {
        return chars;
    }

    /**
     * Decodes {@code len} characters of {@code src} at {@code off} into {@code dst} at {@code
     * dstOff} (which must have {@link #maxDecodedLength} bytes free) without an intermediate string
     * or array, for callers that decode many values into one buffer.
     *
     * <p>Ten digits at a time (58^10 &lt; 2^64) are folded into 64-bit little-endian limbs, so the
     * quadratic part costs a tenth of one digit at a time into bytes.
     *
     * @return the number of bytes written
     * @throws MultiformatException naming the first character outside the alphabet and its position
     *     (from {@code off})
     */
    public static int decode(char[] src, int off, int len, byte[] dst, int dstOff) {
        int end = off + len;
        int zeros = 0;
        while (off + zeros < end && src[off + zeros] == '1') {
            zeros++;
        }
        // 5.86 bits per digit; 0.0916 limbs of 64 bits per digit.
        long[] limbs = new long[(len - zeros) * 92 / 1000 + 2];
        int used = 0;
        int i = off + zeros;
        while (i < end) {
            int k = Math.min(10, end - i);
            long add = 0;
            long mul = 1;
            for (int stop = i + k; i < stop; i++) {
                char c = src[i];
                int d = c < 128 ? INDEXES[c] : -1;
                if (d < 0) {
                    throw new MultiformatException(
                            "invalid base58btc character '" + c + "' at position " + (i - off));
                }
                add = add * 58 + d;
                mul *= 58;
            }
            long carry = add;
            for (int j = 0; j < used; j++) {
                long x = limbs[j];
                long lo = x * mul;
                long hi = Math.unsignedMultiplyHigh(x, mul);
                long sum = lo + carry;
                if (Long.compareUnsigned(sum, lo) < 0) {
                    hi++;
                }
                limbs[j] = sum;
                carry = hi;
            }
            if (carry != 0) {
                limbs[used++] = carry;
            }
        }
        int significant = used == 0 ? 0 : used * 8 - Long.numberOfLeadingZeros(limbs[used - 1]) / 8;
        int n = zeros + significant;
        Arrays.fill(dst, dstOff, dstOff + zeros, (byte) 0);
        int p = dstOff + n - 1;
        for (int j = 0; j < used; j++) {
            long v = limbs[j];
            for (int b = 0; b < 8 && p >= dstOff + zeros; b++) {
                dst[p--] = (byte) v;
                v >>>= 8;
            }
        }
        return n;
    }
}
