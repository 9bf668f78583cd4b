package io.ipdm.connectors.solana.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.JacksonTokenDecoder;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.connectors.solana.block.TreeDecoderBaseline;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * getBlock decode throughput on one thread, per CPU-second (ThreadMXBean: what one core does,
 * whatever else the machine runs) and per wall second, for {@code base64}, {@code base58} and
 * {@code json}; in the same run: Jackson's tree parse alone ({@code readTree} of the same bytes),
 * the tree decoder before streaming ({@link TreeDecoderBaseline}), the previous streaming decoder
 * (the same parser over Jackson's token stream, {@link JacksonTokenDecoder}), and the decoder (the
 * byte scanner) with and without a projection; "vs tree" is the CPU rate over {@code readTree}'s,
 * "vs prev" over the previous streaming decoder's in the same shape. Run by hand (see
 * docs/BENCHMARKS.md); not a test.
 *
 * <pre>
 * java -Xmx2g -Dipdm.shared.data=../shared/data -Dbench.seconds=5 -cp ... \
 *     io.ipdm.connectors.solana.bench.GetBlockDecodeBench
 * </pre>
 */
public final class GetBlockDecodeBench {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    /** The columns solana-program-activity-like jobs read: no inner instructions, no balances. */
    static final Projection TX_PROJECTED =
            Projection.of(
                    SolanaTable.TRANSACTIONS,
                    List.of("slot", "signature", "fee", "success", "program_ids", "is_vote"));

    static final Projection TX_ALL = Projection.all(SolanaTable.TRANSACTIONS);

    interface Work {
        /** Does one unit and returns how many transactions it covered. */
        long run() throws Exception;
    }

    record Rate(double perCpuSecond, double perWallSecond) {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("ipdm.shared.data", "../shared/data"), "solana");
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "5"));
        if (!Files.isDirectory(data)) {
            System.out.println("getBlock decode bench: skipped, no data at " + data);
            return;
        }
        System.out.printf(
                "%-8s %-50s %16s %16s %8s %8s%n",
                "encoding", "what", "tx/CPU-second", "tx/s wall", "vs tree", "vs prev");
        // -Dbench.encodings=base64,base58 to run some only (e.g. under a profiler).
        List<String> only =
                List.of(System.getProperty("bench.encodings", "base64,base58,json").split(","));
        if (only.contains("base64")) {
            bench(data.resolve("photon-getblock-base64/block_254170887.json"), "base64", seconds);
        }
        if (only.contains("base58")) {
            bench(data.resolve("nyanbot-getblock-base58/block_326027759.json"), "base58", seconds);
        }
        if (only.contains("base58")) {
            base58(data.resolve("nyanbot-getblock-base58/block_326027759.json"), seconds);
        }
        if (only.contains("json")) {
            bench(data.resolve("chainstorage-getblock-json/client-block.json"), "json", seconds);
        }
        System.out.println(sink == 42 ? "" : "done");
    }

    static void bench(Path file, String encoding, double seconds) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Long slot = GetBlockDecoder.slotFromFileName(file.getFileName().toString());
        int txs = GetBlockDecoder.decode(bytes, "bench", slot).transactions().size();
        boolean streamingOnly = Boolean.getBoolean("bench.streamingOnly");
        Rate tree =
                streamingOnly
                        ? new Rate(1, 1)
                        : rate(
                                () -> {
                                    sink += MAPPER.readTree(bytes).size();
                                    return txs;
                                },
                                seconds);
        print(encoding, "Jackson readTree alone", tree, tree);
        if (!streamingOnly) {
            baselines(bytes, slot, encoding, seconds, tree);
        }
        streaming(bytes, slot, encoding, seconds, tree);
    }

    static void baselines(byte[] bytes, Long slot, String encoding, double seconds, Rate tree)
            throws Exception {
        print(
                encoding,
                "previous tree decoder -> transactions rows",
                rate(
                        () ->
                                SolanaRows.rows(
                                                TreeDecoderBaseline.decode(bytes, "bench", slot),
                                                SolanaTable.TRANSACTIONS)
                                        .size(),
                        seconds),
                tree);
        print(
                encoding,
                "previous tree decoder, projected",
                rate(
                        () ->
                                SolanaRows.rows(
                                                TreeDecoderBaseline.decode(
                                                        bytes, "bench", slot, TX_PROJECTED),
                                                TX_PROJECTED)
                                        .size(),
                        seconds),
                tree);
    }

    static void streaming(byte[] bytes, Long slot, String encoding, double seconds, Rate tree)
            throws Exception {
        // -Dbench.projectedOnly=true: the scanner's projected line alone (for a profiler).
        if (Boolean.getBoolean("bench.projectedOnly")) {
            print(
                    encoding,
                    "scanner projected (6 columns)",
                    rate(
                            () ->
                                    SolanaRows.rows(
                                                    GetBlockDecoder.decode(
                                                            bytes, "bench", slot, TX_PROJECTED),
                                                    TX_PROJECTED)
                                            .size(),
                            seconds),
                    tree);
            return;
        }
        for (Projection p : List.of(TX_ALL, TX_PROJECTED)) {
            String shape =
                    p == TX_ALL ? "-> transactions rows (all columns)" : "projected (6 columns)";
            pair(
                    encoding,
                    shape,
                    () ->
                            SolanaRows.rows(JacksonTokenDecoder.decode(bytes, "bench", slot, p), p)
                                    .size(),
                    () ->
                            SolanaRows.rows(GetBlockDecoder.decode(bytes, "bench", slot, p), p)
                                    .size(),
                    seconds,
                    tree);
        }
        pair(
                encoding,
                "whole block, no rows",
                () ->
                        JacksonTokenDecoder.decode(bytes, "bench", slot, Projection.EVERYTHING)
                                .transactions()
                                .size(),
                () -> GetBlockDecoder.decode(bytes, "bench", slot).transactions().size(),
                seconds,
                tree);
    }

    /**
     * The previous decoder and the scanner measured in alternation, {@code bench.rounds} (default
     * 5) rounds of {@code seconds / rounds} each after one warm-up, and the median round of each
     * printed: on a loaded machine a slow spell then hits both, not one.
     */
    static void pair(
            String encoding, String shape, Work previous, Work scanner, double seconds, Rate tree)
            throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 5);
        warm(previous, seconds);
        warm(scanner, seconds);
        Rate[] prev = new Rate[rounds];
        Rate[] now = new Rate[rounds];
        for (int r = 0; r < rounds; r++) {
            prev[r] = measure(previous, seconds / rounds);
            now[r] = measure(scanner, seconds / rounds);
        }
        Rate p = median(prev);
        print(encoding, "previous (Jackson tokens) " + shape, p, tree);
        print(encoding, "scanner " + shape, median(now), tree, p);
    }

    private static Rate median(Rate[] rates) {
        Rate[] sorted = rates.clone();
        java.util.Arrays.sort(sorted, java.util.Comparator.comparingDouble(Rate::perCpuSecond));
        return sorted[sorted.length / 2];
    }

    /**
     * Base58 alone: the block's transaction strings decoded into one reused buffer ({@code
     * Base58.decode(byte[], ...)}, ten digits per pass into 64-bit limbs) next to the textbook
     * digit-at-a-time decode into bytes (quadratic with a 58x larger constant).
     */
    static void base58(Path file, double seconds) throws Exception {
        List<byte[]> texts = new java.util.ArrayList<>();
        for (var tx : MAPPER.readTree(file.toFile()).get("transactions")) {
            texts.add(
                    tx.get("transaction")
                            .get(0)
                            .asText()
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        byte[] buf = new byte[8192];
        Rate fast =
                rate(
                        () -> {
                            for (byte[] t : texts) {
                                sink += io.ipdm.multiformats.Base58.decode(t, 0, t.length, buf, 0);
                            }
                            return texts.size();
                        },
                        seconds);
        Rate naive =
                rate(
                        () -> {
                            for (byte[] t : texts) {
                                sink += naiveBase58(t, buf);
                            }
                            return texts.size();
                        },
                        seconds);
        print("base58", "Base58.decode of the tx strings", fast, naive);
        print("base58", "digit-at-a-time decode (baseline)", naive, naive);
    }

    private static final String ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /** The textbook decode: every digit multiplies the whole byte array by 58. */
    static int naiveBase58(byte[] text, byte[] out) {
        int len = 0;
        for (byte c : text) {
            int carry = ALPHABET.indexOf(c);
            for (int j = 0; j < len; j++) {
                carry += (out[j] & 0xff) * 58;
                out[j] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                out[len++] = (byte) carry;
                carry >>>= 8;
            }
        }
        return len;
    }

    static void print(String encoding, String what, Rate r, Rate tree) {
        System.out.printf(
                "%-8s %-50s %,16.0f %,16.0f %8.2f%n",
                encoding,
                what,
                r.perCpuSecond(),
                r.perWallSecond(),
                r.perCpuSecond() / tree.perCpuSecond());
    }

    static void print(String encoding, String what, Rate r, Rate tree, Rate previous) {
        System.out.printf(
                "%-8s %-50s %,16.0f %,16.0f %8.2f %8.2f%n",
                encoding,
                what,
                r.perCpuSecond(),
                r.perWallSecond(),
                r.perCpuSecond() / tree.perCpuSecond(),
                r.perCpuSecond() / previous.perCpuSecond());
    }

    /**
     * Transactions per CPU-second and per wall second over about {@code seconds}, after a warm-up.
     */
    static Rate rate(Work w, double seconds) throws Exception {
        warm(w, seconds);
        return measure(w, seconds);
    }

    private static void warm(Work w, double seconds) throws Exception {
        for (long end = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < end; ) {
            sink += w.run();
        }
    }

    private static Rate measure(Work w, double seconds) throws Exception {
        long items = 0;
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            items += w.run();
            now = System.nanoTime();
        } while (now < end);
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        return new Rate(items / (cpu / 1e9), items / ((now - start) / 1e9));
    }
}
