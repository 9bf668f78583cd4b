package io.ipdm.multiformats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * {@code Base58.decode(byte[], int, int, byte[], int)} as it was at commit 8c9d53c (ten-digit
 * groups valued first, then folded into 64-bit limbs one group per pass over the limbs), kept
 * unchanged as the baseline of {@link io.ipdm.multiformats.bench.Base58DecodeBench} and of the
 * differential tests in {@link Base58Test}. Valid input only: it returns -1 for a bad character
 * instead of naming it.
 */
public final class Base58TwoPassBaseline {
    private Base58TwoPassBaseline() {}

    private static final String ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final long POW58_5 = 656_356_768L;
    private static final long POW58_10 = 430_804_206_899_405_824L;
    private static final int[] DIGITS = new int[256];
    private static final VarHandle BIG_ENDIAN_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    static {
        Arrays.fill(DIGITS, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DIGITS[ALPHABET.charAt(i)] = i;
        }
    }

    public static int decode(byte[] src, int off, int len, byte[] dst, int dstOff) {
        int end = off + len;
        int start = off;
        while (start < end && src[start] == '1') {
            start++;
        }
        int zeros = start - off;
        int n = end - start;
        int groups = (n + 9) / 10;
        long[] w = new long[groups + n * 92 / 1000 + 2];
        int i = start;
        int first = n - (groups - 1) * 10;
        if (groups > 0) {
            long v = 0;
            int bad = 0;
            for (int stop = i + first; i < stop; i++) {
                int d = DIGITS[src[i] & 0xff];
                bad |= d;
                v = v * 58 + d;
            }
            if (bad < 0) {
                return -1;
            }
            w[0] = v;
        }
        for (int g = 1; g < groups; g++, i += 10) {
            long v = ten(src, i);
            if (v < 0) {
                return -1;
            }
            w[g] = v;
        }
        int l0 = groups;
        int top = l0;
        for (int g = 0; g < groups; g++) {
            long carry = w[g];
            for (int j = l0; j < top; j++) {
                long x = w[j];
                long lo = x * POW58_10;
                long hi = Math.unsignedMultiplyHigh(x, POW58_10);
                long sum = lo + carry;
                if (Long.compareUnsigned(sum, lo) < 0) {
                    hi++;
                }
                w[j] = sum;
                carry = hi;
            }
            if (carry != 0) {
                w[top++] = carry;
            }
        }
        int used = top - l0;
        int significant = used == 0 ? 0 : used * 8 - Long.numberOfLeadingZeros(w[top - 1]) / 8;
        int count = zeros + significant;
        Arrays.fill(dst, dstOff, dstOff + zeros, (byte) 0);
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

    private static long ten(byte[] s, int i) {
        int d0 = DIGITS[s[i] & 0xff];
        int d1 = DIGITS[s[i + 1] & 0xff];
        int d2 = DIGITS[s[i + 2] & 0xff];
        int d3 = DIGITS[s[i + 3] & 0xff];
        int d4 = DIGITS[s[i + 4] & 0xff];
        int d5 = DIGITS[s[i + 5] & 0xff];
        int d6 = DIGITS[s[i + 6] & 0xff];
        int d7 = DIGITS[s[i + 7] & 0xff];
        int d8 = DIGITS[s[i + 8] & 0xff];
        int d9 = DIGITS[s[i + 9] & 0xff];
        if ((d0 | d1 | d2 | d3 | d4 | d5 | d6 | d7 | d8 | d9) < 0) {
            return -1;
        }
        int hi = (((d0 * 58 + d1) * 58 + d2) * 58 + d3) * 58 + d4;
        int lo = (((d5 * 58 + d6) * 58 + d7) * 58 + d8) * 58 + d9;
        return hi * POW58_5 + lo;
    }
}
