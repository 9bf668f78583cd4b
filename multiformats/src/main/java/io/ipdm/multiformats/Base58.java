package io.ipdm.multiformats;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Base58 with the Bitcoin alphabet (multibase "base58btc", prefix {@code z}); leading zero bytes
 * map to '1'.
 *
 * <p>Never a digit at a time: Solana's base58 getBlock encoding carries whole ~1.6 KB transactions,
 * where a byte-at-a-time conversion is quadratic in bytes and costs seconds per block. Decoding
 * folds ten digits per step into 64-bit limbs, four groups of ten per sweep over them; encoding of
 * up to 66 bytes (keys, hashes, signatures) sums precomputed base-58^4 digits of powers of two,
 * longer inputs divide by 58^5 limb by limb.
 */
public final class Base58 {
    private static final byte[] ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
                    .getBytes(StandardCharsets.US_ASCII);
    private static final int[] INDEXES = new int[128];

    /** {@code PAIRS[2i], PAIRS[2i + 1]}: the two characters of i &lt; 58^2. */
    private static final byte[] PAIRS = new byte[2 * 58 * 58];

    private static final long POW58_5 = 656_356_768L; // 58^5

    static {
        Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEXES[ALPHABET[i]] = i;
        }
        for (int i = 0; i < 58 * 58; i++) {
            PAIRS[2 * i] = ALPHABET[i / 58];
            PAIRS[2 * i + 1] = ALPHABET[i % 58];
        }
    }

    private Base58() {}

    public static String encode(byte[] in) {
        return encode(in, 0, in.length);
    }

    /** Base58 of {@code len} bytes of {@code in} from {@code off}. */
    public static String encode(byte[] in, int off, int len) {
        int zeros = 0;
        while (zeros < len && in[off + zeros] == 0) {
            zeros++;
        }
        return len - zeros <= SHORT_MAX
                ? encodeShort(in, off, len, zeros)
                : encodeLong(in, off, len, zeros);
    }

    // ---------------------------------------------------------------- short inputs (keys,
    // signatures)

    /** Inputs up to this many significant bytes go through the table (keys, hashes, signatures). */
    private static final int SHORT_MAX = 66;

    /** 32-bit limbs of an input (as long as {@link #SHORT_MAX} bytes). */
    private static final int LIMBS = (SHORT_MAX + 3) / 4;

    private static final long POW58_4 = 11_316_496L; // 58^4

    /** Base-58^4 digits of a {@link #SHORT_MAX}-byte number, and one more for the carries. */
    private static final int DIGITS_4 =
            (int) Math.ceil(SHORT_MAX * 8 / (4 * Math.log(58) / Math.log(2))) + 1;

    /**
     * {@code POW2[k][j]}: digit j (least significant first) of 2^(32k) in base 58^4, and {@code
     * TOP[k]} the number of non-zero digits of it. A number's base-58^4 digits are then sums of
     * limb times digit (32 + 23.4 bits: 17 of them fit a long), carried once: linear in the digits,
     * no division per digit and limb as the long-division loop below needs. Base 58^4 rather than
     * 58^5 so that whole 32-bit limbs fit: 16 limbs of a signature against 22 of 24 bits
     * (1.09-1.16x on 32/64-byte values), and a digit is two character pairs from one division.
     */
    private static final long[][] POW2 = new long[LIMBS][DIGITS_4];

    private static final int[] TOP = new int[LIMBS];

    static {
        long[] v = new long[DIGITS_4];
        v[0] = 1;
        for (int k = 0; k < LIMBS; k++) {
            int top = 0;
            for (int j = 0; j < DIGITS_4; j++) {
                POW2[k][j] = v[j];
                if (v[j] != 0) {
                    top = j + 1;
                }
            }
            TOP[k] = top;
            long carry = 0;
            for (int j = 0; j < DIGITS_4; j++) {
                long x = (v[j] << 32) + carry;
                v[j] = x % POW58_4;
                carry = x / POW58_4;
            }
        }
    }

    private static String encodeShort(byte[] in, int off, int len, int zeros) {
        long[] digits = new long[DIGITS_4 + 1];
        int start = off + zeros;
        int k = 0;
        // limbs of 32 bits, least significant first; the most significant one may be shorter
        for (int i = off + len; i > start; i -= 4, k++) {
            long limb;
            if (i - 4 >= start) {
                limb = (int) BIG_ENDIAN_INTS.get(in, i - 4) & 0xffffffffL;
            } else {
                limb = 0;
                for (int b = start; b < i; b++) {
                    limb = (limb << 8) | (in[b] & 0xff);
                }
            }
            long[] pow = POW2[k];
            for (int j = 0, top = TOP[k]; j < top; j++) {
                digits[j] += limb * pow[j];
            }
        }
        // a limb is more than one digit: the top limb's sum may carry two digits above its power's
        int used = k == 0 ? 0 : Math.min(TOP[k - 1] + 2, DIGITS_4);
        long carry = 0;
        for (int j = 0; j < used; j++) {
            long x = digits[j] + carry;
            carry = x / POW58_4;
            digits[j] = x - carry * POW58_4;
        }
        byte[] out = new byte[zeros + used * 4];
        int pos = out.length;
        // each base-58^4 digit as two character pairs
        for (int j = 0; j < used; j++) {
            int d = (int) digits[j];
            int high = d / 3364;
            int low = (d - high * 3364) << 1;
            high <<= 1;
            pos -= 4;
            out[pos] = PAIRS[high];
            out[pos + 1] = PAIRS[high + 1];
            out[pos + 2] = PAIRS[low];
            out[pos + 3] = PAIRS[low + 1];
        }
        while (pos < out.length && out[pos] == '1') {
            pos++;
        }
        for (int i = 0; i < zeros; i++) {
            out[--pos] = '1';
        }
        return new String(out, pos, out.length - pos, StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- long inputs

    private static String encodeLong(byte[] in, int off, int len, int zeros) {
        int n = len - zeros;
        int limbCount = (n + 3) / 4;
        // Big-endian limbs; the first holds the 1-4 most significant bytes.
        int[] limbs = new int[limbCount];
        int li = limbCount - 1;
        int shift = 0;
        for (int i = off + len - 1; i >= off + zeros; i--) {
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
     * dstOff} (which must have {@link #maxDecodedLength} bytes free).
     *
     * @return the number of bytes written
     * @throws MultiformatException naming the first character outside the alphabet and its position
     *     (from {@code off})
     */
    public static int decode(char[] src, int off, int len, byte[] dst, int dstOff) {
        byte[] ascii = new byte[len];
        for (int i = 0; i < len; i++) {
            char c = src[off + i];
            if (c >= 128 || INDEXES[c] < 0) {
                throw new MultiformatException(
                        "invalid base58btc character '" + c + "' at position " + i);
            }
            ascii[i] = (byte) c;
        }
        return decode(ascii, 0, len, dst, dstOff);
    }

    /**
     * Decodes {@code len} ASCII characters of {@code src} at {@code off} (e.g. a JSON string in
     * place) into {@code dst} at {@code dstOff} (which must have {@link #maxDecodedLength} bytes
     * free) without an intermediate string, for callers that decode many values into one buffer.
     *
     * <p>Two passes: every group of ten digits (58^10 &lt; 2^64) is first checked and turned into
     * its value (groups do not depend on each other, so the processor overlaps them), then the
     * groups are folded into 64-bit little-endian limbs ({@link #fold}), the quadratic part, which
     * is then only a multiply-add per limb and group.
     *
     * @return the number of bytes written
     * @throws MultiformatException naming the first character outside the alphabet (a byte of 0x80
     *     or more by its value) and its position (from {@code off})
     */
    public static int decode(byte[] src, int off, int len, byte[] dst, int dstOff) {
        int end = off + len;
        int start = off;
        while (start < end && src[start] == '1') {
            start++;
        }
        int zeros = start - off;
        int n = end - start;
        int groups = (n + 9) / 10;
        // group values (most significant first, after up to three zero groups that make their
        // count a multiple of four), then the limbs: 5.86 bits per digit, 0.0916 limbs of 64 bits
        // per digit, and up to four limbs of a sweep's staircase above them
        int pad = -groups & 3;
        int l0 = pad + groups; // limbs from here
        long[] w = new long[l0 + n * 92 / 1000 + 6];
        int i = start;
        int first = n - (groups - 1) * 10; // digits in the first group, 1..10
        if (groups > 0) {
            long v = 0;
            int bad = 0;
            for (int stop = i + first; i < stop; i++) {
                int d = DIGITS[src[i] & 0xff];
                bad |= d;
                v = v * 58 + d;
            }
            if (bad < 0) {
                throw invalid(src, off, end);
            }
            w[pad] = v;
        }
        for (int g = pad + 1; g < l0; g++, i += 10) {
            long v = ten(src, i);
            if (v >= NOT_A_DIGIT) {
                throw invalid(src, off, end);
            }
            w[g] = v;
        }
        int top = fold(w, l0);
        int used = top - l0;
        int significant = used == 0 ? 0 : used * 8 - Long.numberOfLeadingZeros(w[top - 1]) / 8;
        int count = zeros + significant;
        Arrays.fill(dst, dstOff, dstOff + zeros, (byte) 0);
        // whole limbs as big-endian words from the least significant end, then the top limb's
        // significant bytes
        int p = dstOff + count;
        int j = l0;
        for (; j < top - 1; j++) {
            p -= 8;
            BIG_ENDIAN_LONGS.set(dst, p, w[j]);
        }
        if (j < top) {
            long v = w[j];
            for (int stop = dstOff + zeros; p > stop; v >>>= 8) {
                dst[--p] = (byte) v;
            }
        }
        return count;
    }

    /**
     * Folds the group values {@code w[0, l0)} (most significant first, a multiple of four of them,
     * leading zero groups making up the count) into little-endian 64-bit limbs from {@code w[l0]}:
     * limbs = limbs * 58^10 + group, for every group. Four groups share one sweep over the limbs:
     * group k+1's multiply-add of a limb needs only group k's result for that limb, so the four
     * carry chains run side by side and a limb is loaded and stored once per four groups
     * (1.35-1.45x over one group per sweep in a fold-only benchmark on the real transactions). The
     * up to four limbs a sweep carries above the top are a staircase written out after it.
     *
     * @return one past the most significant non-zero limb ({@code l0} for zero)
     */
    private static int fold(long[] w, int l0) {
        int top = l0;
        for (int g = 0; g < l0; g += 4) {
            long c0 = w[g];
            long c1 = w[g + 1];
            long c2 = w[g + 2];
            long c3 = w[g + 3];
            for (int j = l0; j < top; j++) {
                long x = w[j];
                long lo = x * POW58_10;
                long hi = Math.unsignedMultiplyHigh(x, POW58_10);
                x = lo + c0;
                if (Long.compareUnsigned(x, lo) < 0) {
                    hi++;
                }
                c0 = hi;
                lo = x * POW58_10;
                hi = Math.unsignedMultiplyHigh(x, POW58_10);
                x = lo + c1;
                if (Long.compareUnsigned(x, lo) < 0) {
                    hi++;
                }
                c1 = hi;
                lo = x * POW58_10;
                hi = Math.unsignedMultiplyHigh(x, POW58_10);
                x = lo + c2;
                if (Long.compareUnsigned(x, lo) < 0) {
                    hi++;
                }
                c2 = hi;
                lo = x * POW58_10;
                hi = Math.unsignedMultiplyHigh(x, POW58_10);
                x = lo + c3;
                if (Long.compareUnsigned(x, lo) < 0) {
                    hi++;
                }
                c3 = hi;
                w[j] = x;
            }
            // What group 1 carried out of the top limb is a limb above it that groups 2-4 have
            // not multiplied yet, and so on: a staircase of four limbs, written out.
            long b0 = low(c0, c1);
            long b1 = high(c0, c1);
            long d0 = low(b0, c2);
            long k = high(b0, c2);
            long d1 = low(b1, k);
            long d2 = high(b1, k);
            w[top] = low(d0, c3);
            k = high(d0, c3);
            w[top + 1] = low(d1, k);
            k = high(d1, k);
            w[top + 2] = low(d2, k);
            w[top + 3] = high(d2, k);
            top += 4;
            while (top > l0 && w[top - 1] == 0) {
                top--;
            }
        }
        return top;
    }

    /** The low limb of {@code x * 58^10 + c}. */
    private static long low(long x, long c) {
        return x * POW58_10 + c;
    }

    /** The high limb of {@code x * 58^10 + c}. */
    private static long high(long x, long c) {
        long lo = x * POW58_10;
        long hi = Math.unsignedMultiplyHigh(x, POW58_10);
        return Long.compareUnsigned(lo + c, lo) < 0 ? hi + 1 : hi;
    }

    private static final java.lang.invoke.VarHandle BIG_ENDIAN_INTS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
                    int[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
                    long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private static final long POW58_10 = 430_804_206_899_405_824L; // 58^10

    /** A digit by its byte, or -1 (so a group holding one ORs to a negative value). */
    private static final int[] DIGITS = new int[256];

    static {
        Arrays.fill(DIGITS, -1);
        for (int c = 0; c < 128; c++) {
            DIGITS[c] = INDEXES[c];
        }
    }

    /** Added to a group's value by a byte outside the alphabet (ten of them stay below 2^63). */
    private static final long NOT_A_DIGIT = 1L << 59;

    /**
     * {@code PLACE[256 * k + b]}: the value of byte b as the k-th of ten digits, digit * 58^(9 - k)
     * (below 58^10 &lt; 2^59 summed), or {@link #NOT_A_DIGIT}.
     */
    private static final long[] PLACE = new long[10 * 256];

    static {
        for (int k = 0; k < 10; k++) {
            long weight = 1;
            for (int e = 0; e < 9 - k; e++) {
                weight *= 58;
            }
            for (int b = 0; b < 256; b++) {
                PLACE[256 * k + b] = DIGITS[b] < 0 ? NOT_A_DIGIT : DIGITS[b] * weight;
            }
        }
    }

    /**
     * The value of the ten digits at {@code i}, or {@link #NOT_A_DIGIT} or more when one is not a
     * digit: a sum of ten table entries, no multiplies (two chains of five multiplies by 58 cost
     * about a fifth of a transaction's decode, bound by the one port that multiplies).
     */
    private static long ten(byte[] s, int i) {
        return PLACE[s[i] & 0xff]
                + PLACE[256 + (s[i + 1] & 0xff)]
                + PLACE[512 + (s[i + 2] & 0xff)]
                + PLACE[768 + (s[i + 3] & 0xff)]
                + PLACE[1024 + (s[i + 4] & 0xff)]
                + PLACE[1280 + (s[i + 5] & 0xff)]
                + PLACE[1536 + (s[i + 6] & 0xff)]
                + PLACE[1792 + (s[i + 7] & 0xff)]
                + PLACE[2048 + (s[i + 8] & 0xff)]
                + PLACE[2304 + (s[i + 9] & 0xff)];
    }

    /** The first character of {@code src[off, end)} outside the alphabet, named. */
    private static MultiformatException invalid(byte[] src, int off, int end) {
        int i = off;
        while (i < end && DIGITS[src[i] & 0xff] >= 0) {
            i++;
        }
        int c = src[i];
        return new MultiformatException(
                "invalid base58btc character "
                        + (c >= 0 ? "'" + (char) c + "'" : String.format("byte 0x%02x", c & 0xff))
                        + " at position "
                        + (i - off));
    }
}
