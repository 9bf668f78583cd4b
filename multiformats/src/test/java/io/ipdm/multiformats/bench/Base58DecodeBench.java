package io.ipdm.multiformats.bench;

import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.Base58TwoPassBaseline;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code Base58.decode(byte[], off, len, byte[], off)} alone on the transaction strings of the real
 * {@code base58} getBlock block ({@code solana/nyanbot-getblock-base58}, 1,509 strings of 293-1,664
 * characters), on one thread, per thread-CPU-second (ThreadMXBean) and per wall second, against in
 * the same run: the decoder before this change ({@link Base58TwoPassBaseline}) and the textbook
 * digit-at-a-time decode. All three are first checked to give the same bytes. Rounds alternate
 * between the decoders after a warm-up; the median round is printed. Also for the strings longer
 * than 1,000 characters alone. Run by hand (see docs/BENCHMARKS.md); not a test.
 *
 * <pre>
 * java -Dipdm.shared.data=../shared/data -Dbench.seconds=0.5 -Dbench.rounds=9 \
 *     -cp multiformats/target/classes:multiformats/target/test-classes \
 *     io.ipdm.multiformats.bench.Base58DecodeBench
 * </pre>
 */
public final class Base58DecodeBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    interface Decoder {
        int decode(byte[] src, int off, int len, byte[] dst, int dstOff);
    }

    public static void main(String[] args) throws Exception {
        Path file =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../shared/data"),
                        "solana/nyanbot-getblock-base58/block_326027759.json");
        if (!Files.exists(file)) {
            System.out.println("Base58 decode bench: skipped, no data at " + file);
            return;
        }
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "0.5"));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "9"));
        List<byte[]> all = transactionStrings(Files.readAllBytes(file));
        List<byte[]> longOnes = all.stream().filter(t -> t.length > 1000).toList();
        String[] names = {
            "Base58.decode", "before (two passes, one group per fold)", "digit at a time"
        };
        Decoder[] decoders = {
            Base58::decode, Base58TwoPassBaseline::decode, Base58DecodeBench::naive
        };
        check(all, decoders);
        System.out.printf(
                "%-42s %-11s %14s %12s %12s %12s%n",
                "decoder", "strings", "strings/CPU-s", "MB/CPU-s", "strings/s", "vs before");
        for (List<byte[]> texts : List.of(all, longOnes)) {
            long chars = texts.stream().mapToLong(t -> t.length).sum();
            String label = texts.size() + (texts == all ? " (all)" : " (>1000)");
            double[][] cpu = new double[decoders.length][rounds];
            double[][] wall = new double[decoders.length][rounds];
            for (int d = 0; d < decoders.length; d++) {
                run(decoders[d], texts, 2 * seconds); // warm-up
            }
            for (int r = 0; r < rounds; r++) {
                for (int d = 0; d < decoders.length; d++) {
                    double[] rate = run(decoders[d], texts, d == 2 ? seconds / 4 : seconds);
                    cpu[d][r] = rate[0];
                    wall[d][r] = rate[1];
                }
            }
            double before = median(cpu[1]);
            for (int d = 0; d < decoders.length; d++) {
                double c = median(cpu[d]);
                System.out.printf(
                        "%-42s %-11s %,14.0f %12.1f %,12.0f %12.2f%n",
                        names[d],
                        label,
                        c,
                        c * chars / texts.size() / 1e6,
                        median(wall[d]),
                        c / before);
            }
        }
        System.out.println(sink == 42 ? "" : "done");
    }

    /**
     * Strings per CPU-second and per wall second of decoding {@code texts} for ~{@code seconds}.
     */
    private static double[] run(Decoder decoder, List<byte[]> texts, double seconds) {
        byte[] out = new byte[4096];
        long budget = (long) (seconds * 1e9);
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long strings = 0;
        long cpu;
        do {
            for (byte[] t : texts) {
                sink += decoder.decode(t, 0, t.length, out, 0);
            }
            strings += texts.size();
            cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        } while (cpu < budget);
        long wall = System.nanoTime() - wall0;
        return new double[] {strings * 1e9 / cpu, strings * 1e9 / wall};
    }

    private static void check(List<byte[]> texts, Decoder[] decoders) {
        byte[] a = new byte[4096];
        byte[] b = new byte[4096];
        for (byte[] t : texts) {
            int n = decoders[0].decode(t, 0, t.length, a, 0);
            for (int d = 1; d < decoders.length; d++) {
                int m = decoders[d].decode(t, 0, t.length, b, 0);
                if (m != n || !Arrays.equals(a, 0, n, b, 0, m)) {
                    throw new AssertionError("decoder " + d + " disagrees on " + new String(t));
                }
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** The {@code "transaction":["..."} strings of a getBlock response, as ASCII bytes. */
    static List<byte[]> transactionStrings(byte[] json) {
        byte[] key = "\"transaction\":[\"".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i + key.length <= json.length; i++) {
            if (Arrays.equals(json, i, i + key.length, key, 0, key.length)) {
                int from = i + key.length;
                int to = from;
                while (json[to] != '"') {
                    to++;
                }
                out.add(Arrays.copyOfRange(json, from, to));
                i = to;
            }
        }
        return out;
    }

    private static final String ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /** The textbook decode: every digit multiplies the whole byte array by 58. */
    static int naive(byte[] src, int off, int len, byte[] dst, int dstOff) {
        int zeros = 0;
        while (zeros < len && src[off + zeros] == '1') {
            zeros++;
        }
        byte[] le = new byte[len];
        int n = 0;
        for (int i = off + zeros; i < off + len; i++) {
            int carry = ALPHABET.indexOf(src[i]);
            for (int j = 0; j < n; j++) {
                carry += (le[j] & 0xff) * 58;
                le[j] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                le[n++] = (byte) carry;
                carry >>>= 8;
            }
        }
        Arrays.fill(dst, dstOff, dstOff + zeros, (byte) 0);
        for (int j = 0; j < n; j++) {
            dst[dstOff + zeros + j] = le[n - 1 - j];
        }
        return zeros + n;
    }
}
