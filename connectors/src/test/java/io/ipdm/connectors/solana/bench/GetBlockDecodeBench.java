package io.ipdm.connectors.solana.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.GetBlockDecoder;
import io.ipdm.connectors.solana.block.JacksonTokenDecoder;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.block.SolanaRows;
import io.ipdm.connectors.solana.block.TreeDecoderBaseline;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * getBlock decode throughput on one thread, per CPU-second of that thread (ThreadMXBean: what one
 * core does, whatever else the machine runs) and per wall second, for {@code base64}, {@code
 * base58} and {@code json}. Run by hand (see docs/BENCHMARKS.md); not a test.
 *
 * <p>Every (encoding, case) runs in <b>its own JVM</b> (this main starts itself with {@code
 * -Dbench.case=ENCODING:CASE}): one JVM running every decoder in turn let the JIT's profile of the
 * first decoder shape the code of the next, and the same build swung by ±30% between runs. In each
 * JVM: {@code bench.warmup} CPU-seconds of warm-up, then {@code bench.iterations} iterations of
 * {@code bench.seconds} CPU-seconds each; {@code bench.forks} (default 3) JVMs per case, started
 * round-robin over the cases so a slow spell of the machine hits every case. Printed per case: the
 * median and min/max of all iterations' tx per CPU-second, the median wall rate, and the CPU-rate
 * ratios of the medians: "vs tree" over Jackson's {@code readTree} of the same bytes alone, "vs
 * prev" over the previous streaming decoder (the same parser over Jackson's tokens, {@link
 * JacksonTokenDecoder}) in the same shape, and with {@code -Dbench.baseline=CLASSPATH} "vs base"
 * over the same case run on another build's classes (e.g. a snapshot of main).
 *
 * <p>With {@code -Dbench.paired=true} (and a baseline) each scanner case's JVM runs <b>both
 * builds</b>, the baseline's classes in a class loader of their own, in alternating measurements of
 * {@code bench.seconds} (the order flipped every round), and "vs base" is the median of the
 * per-round ratios with their min-max. This machine's speed drifts by up to 1.8x within seconds
 * (the same JVM's iterations do too, at any load seen), so builds measured at different times
 * compare the drift; builds measured in alternation a second apart compare the builds.
 *
 * <p>Cases: {@code readTree} (Jackson's tree parse alone), {@code tree}/{@code treeProjected} (the
 * tree decoder before streaming, {@link TreeDecoderBaseline}), {@code tokens}/{@code
 * tokensProjected} (the previous streaming decoder), {@code scanner}/{@code scannerProjected}/
 * {@code scannerJob} (the decoder into transactions rows: every column, the six columns of {@link
 * #TX_PROJECTED}, the per-program job's four of {@link #TX_JOB}), {@code scannerBlock} (the whole
 * block, no rows); for {@code base58} also {@code base58Alone} ({@code Base58.decode} of the
 * transaction strings alone) and {@code base58Naive} (digit at a time).
 *
 * <pre>
 * java -Xmx1g -Dipdm.shared.data=../shared/data -cp ... io.ipdm.connectors.solana.bench.GetBlockDecodeBench
 *   -Dbench.encodings=base64,base58  -Dbench.cases=readTree,scanner,scannerProjected
 *   -Dbench.warmup=4 -Dbench.iterations=5 -Dbench.seconds=1 -Dbench.forks=3
 *   -Dbench.baseline=/tmp/x/classes:...   -Dbench.paired=true   -Dbench.jvmArgs="-Xmx1g"
 *   -Dbench.case=base64:scannerProjected   (one case in this JVM, e.g. under a profiler)
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

    /** The per-program job's columns (jobs/solana-program-activity.yaml). */
    static final Projection TX_JOB =
            Projection.of(
                    SolanaTable.TRANSACTIONS,
                    List.of("block_time", "is_vote", "program_ids", "success"));

    static final Projection TX_ALL = Projection.all(SolanaTable.TRANSACTIONS);

    private static final Map<String, String> FILES =
            Map.of(
                    "base64", "photon-getblock-base64/block_254170887.json",
                    "base58", "nyanbot-getblock-base58/block_326027759.json",
                    "json", "chainstorage-getblock-json/client-block.json");

    /** Each case's label, in the order printed. */
    private static final Map<String, String> CASES = new LinkedHashMap<>();

    static {
        CASES.put("readTree", "Jackson readTree alone");
        CASES.put("tree", "tree decoder -> transactions rows");
        CASES.put("treeProjected", "tree decoder, projected");
        CASES.put("tokens", "previous (Jackson tokens) -> transactions rows");
        CASES.put("tokensProjected", "previous (Jackson tokens), projected");
        CASES.put("scanner", "scanner -> transactions rows (all columns)");
        CASES.put("scannerProjected", "scanner, projected (6 columns)");
        CASES.put("scannerJob", "scanner, the job's 4 columns");
        CASES.put("scannerBlock", "scanner, whole block, no rows");
        CASES.put("base58Alone", "Base58.decode of the tx strings alone");
        CASES.put("base58Naive", "digit-at-a-time base58 decode (baseline)");
    }

    interface Work {
        /** Does one unit and returns how many transactions it covered. */
        long run() throws Exception;
    }

    record Rate(double perCpuSecond, double perWallSecond) {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("ipdm.shared.data", "../shared/data"), "solana");
        if (!Files.isDirectory(data)) {
            System.out.println("getBlock decode bench: skipped, no data at " + data);
            return;
        }
        String one = System.getProperty("bench.case");
        if (one != null) {
            child(data, one);
        } else {
            parent();
        }
    }

    // ---------------------------------------------------------------- the forking parent

    private record Result(
            String encoding, String kase, boolean baseline, List<Rate> rates, List<Double> ratios) {
        double cpu() {
            return median(rates.stream().mapToDouble(Rate::perCpuSecond).toArray());
        }

        double wall() {
            return median(rates.stream().mapToDouble(Rate::perWallSecond).toArray());
        }

        double min() {
            return rates.stream().mapToDouble(Rate::perCpuSecond).min().orElse(0);
        }

        double max() {
            return rates.stream().mapToDouble(Rate::perCpuSecond).max().orElse(0);
        }
    }

    private static void parent() throws Exception {
        List<String> encodings =
                List.of(System.getProperty("bench.encodings", "base64,base58,json").split(","));
        List<String> cases =
                List.of(
                        System.getProperty("bench.cases", String.join(",", CASES.keySet()))
                                .split(","));
        for (String c : cases) {
            if (!CASES.containsKey(c)) {
                throw new IllegalArgumentException(
                        "unknown case " + c + "; known: " + CASES.keySet());
            }
        }
        int forks = Integer.getInteger("bench.forks", 3);
        String baseline = System.getProperty("bench.baseline");
        boolean paired = baseline != null && Boolean.getBoolean("bench.paired");
        // one list of JVM runs, round-robin: every case's first fork, then every second one
        List<String[]> runs = new ArrayList<>();
        for (String e : encodings) {
            for (String c : cases) {
                if (c.startsWith("base58") && !e.equals("base58")) {
                    continue;
                }
                boolean withBase = baseline != null && c.startsWith("scanner");
                runs.add(new String[] {e, c, withBase && paired ? "paired" : ""});
                if (withBase && !paired) {
                    runs.add(new String[] {e, c, "base"});
                }
            }
        }
        Map<String, Result> results = new LinkedHashMap<>();
        for (int f = 0; f < forks; f++) {
            for (String[] r : runs) {
                boolean base = r[2].equals("base");
                boolean pair = r[2].equals("paired");
                List<Rate> baseRates = new ArrayList<>();
                List<Rate> rates =
                        fork(r[0], r[1], base ? baseline : null, pair ? baseline : null, baseRates);
                List<Double> ratios = new ArrayList<>();
                for (int i = 0; i < baseRates.size(); i++) {
                    ratios.add(rates.get(i).perCpuSecond() / baseRates.get(i).perCpuSecond());
                }
                merge(results, new Result(r[0], r[1], base, rates, ratios));
                if (pair) {
                    merge(results, new Result(r[0], r[1], true, baseRates, List.of()));
                }
            }
        }
        System.out.printf(
                "%-8s %-56s %12s %12s %12s %12s %8s %8s %s%n",
                "encoding",
                "what",
                "tx/CPU-s",
                "min",
                "max",
                "tx/s wall",
                "vs tree",
                "vs prev",
                "vs base");
        for (Result r : results.values()) {
            Result tree = results.get(key(r.encoding(), "readTree", false));
            Result prev = r.baseline() ? null : prevOf(results, r);
            Result base = r.baseline() ? null : results.get(key(r.encoding(), r.kase(), true));
            String vsBase = ratio(r, base);
            if (!r.ratios().isEmpty()) {
                double[] v = r.ratios().stream().mapToDouble(Double::doubleValue).toArray();
                vsBase =
                        String.format(
                                "%.2f (%.2f-%.2f, paired)",
                                median(v),
                                Arrays.stream(v).min().orElse(0),
                                Arrays.stream(v).max().orElse(0));
            }
            System.out.printf(
                    "%-8s %-56s %,12.0f %,12.0f %,12.0f %,12.0f %8s %8s %s%n",
                    r.encoding(),
                    CASES.get(r.kase()) + (r.baseline() ? " [baseline]" : ""),
                    r.cpu(),
                    r.min(),
                    r.max(),
                    r.wall(),
                    ratio(r, tree),
                    ratio(r, prev),
                    vsBase);
        }
    }

    private static void merge(Map<String, Result> results, Result r) {
        results.merge(
                key(r.encoding(), r.kase(), r.baseline()),
                r,
                (a, b) -> {
                    List<Rate> all = new ArrayList<>(a.rates());
                    all.addAll(b.rates());
                    List<Double> ratios = new ArrayList<>(a.ratios());
                    ratios.addAll(b.ratios());
                    return new Result(a.encoding(), a.kase(), a.baseline(), all, ratios);
                });
    }

    private static String key(String encoding, String kase, boolean baseline) {
        return encoding + ":" + kase + (baseline ? "@base" : "");
    }

    /** The previous streaming decoder's result in the same shape, if measured. */
    private static Result prevOf(Map<String, Result> results, Result r) {
        String prev =
                switch (r.kase()) {
                    case "scanner" -> "tokens";
                    case "scannerProjected" -> "tokensProjected";
                    default -> null;
                };
        return prev == null ? null : results.get(key(r.encoding(), prev, false));
    }

    private static String ratio(Result r, Result over) {
        return over == null || over == r ? "" : String.format("%.2f", r.cpu() / over.cpu());
    }

    /**
     * Runs one case in a new JVM (this class, on {@code classpath} if given) and reads its rates;
     * with {@code pairWith} the JVM also runs the case on those classes in alternation, whose rates
     * go to {@code pairRates}.
     */
    private static List<Rate> fork(
            String encoding, String kase, String classpath, String pairWith, List<Rate> pairRates)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        String jvmArgs = System.getProperty("bench.jvmArgs", "-Xmx1g");
        for (String a : jvmArgs.trim().split("\\s+")) {
            if (!a.isEmpty()) {
                cmd.add(a);
            }
        }
        for (String p :
                List.of("ipdm.shared.data", "bench.warmup", "bench.iterations", "bench.seconds")) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        cmd.add("-Dbench.case=" + encoding + ":" + kase);
        if (pairWith != null) {
            cmd.add("-Dbench.pairWith=" + benchClasses() + File.pathSeparator + pairWith);
        }
        cmd.add("-cp");
        cmd.add(
                classpath == null
                        ? System.getProperty("java.class.path")
                        // this class first, then the other build's classes
                        : benchClasses() + File.pathSeparator + classpath);
        cmd.add(GetBlockDecodeBench.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Rate> rates = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RATE ") || line.startsWith("BASE ")) {
                    String[] f = line.split(" ");
                    (line.startsWith("RATE ") ? rates : pairRates)
                            .add(new Rate(Double.parseDouble(f[1]), Double.parseDouble(f[2])));
                } else {
                    System.err.println(line);
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || rates.isEmpty()) {
            throw new IllegalStateException(
                    "the bench JVM for " + encoding + ":" + kase + " failed (exit " + exit + ")");
        }
        System.err.printf(
                "%s:%s%s %s%s%n",
                encoding,
                kase,
                classpath == null ? "" : " [baseline]",
                Arrays.toString(
                        rates.stream().mapToLong(x -> Math.round(x.perCpuSecond())).toArray()),
                pairWith == null
                        ? ""
                        : " [baseline, alternating] "
                                + Arrays.toString(
                                        pairRates.stream()
                                                .mapToLong(x -> Math.round(x.perCpuSecond()))
                                                .toArray()));
        return rates;
    }

    /** The directory or jar this class was loaded from. */
    private static String benchClasses() {
        try {
            return Path.of(
                            GetBlockDecodeBench.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    // ---------------------------------------------------------------- one case in this JVM

    private static void child(Path data, String spec) throws Exception {
        String[] parts = spec.split(":");
        String encoding = parts[0];
        String kase = parts[1];
        double warmup = Double.parseDouble(System.getProperty("bench.warmup", "4"));
        int iterations = Integer.getInteger("bench.iterations", 5);
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "1"));
        String name = FILES.get(encoding);
        if (name == null) {
            throw new IllegalArgumentException("unknown encoding " + encoding);
        }
        Path file = data.resolve(name);
        Work w = work(file, kase);
        String pairWith = System.getProperty("bench.pairWith");
        if (pairWith != null) {
            Work base = baselineWork(pairWith, file, kase);
            run(w, warmup);
            run(base, warmup);
            for (int i = 0; i < iterations; i++) {
                // the order flips every round, so neither build always runs right after the other
                Rate a = i % 2 == 0 ? measure(w, seconds) : null;
                Rate b = measure(base, seconds);
                if (a == null) {
                    a = measure(w, seconds);
                }
                System.out.println("RATE " + a.perCpuSecond() + " " + a.perWallSecond());
                System.out.println("BASE " + b.perCpuSecond() + " " + b.perWallSecond());
            }
        } else {
            run(w, warmup);
            for (int i = 0; i < iterations; i++) {
                Rate r = measure(w, seconds);
                System.out.println("RATE " + r.perCpuSecond() + " " + r.perWallSecond());
            }
        }
        if (sink == 42) {
            System.out.println(); // keeps the work from being optimised away
        }
    }

    /**
     * The case on another build: this bench class and the build's classes (a class path) in a class
     * loader of their own, called through reflection (once per block: nothing next to a decode).
     */
    private static Work baselineWork(String classpath, Path file, String kase) throws Exception {
        List<java.net.URL> urls = new ArrayList<>();
        for (String e : classpath.split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                urls.add(Path.of(e).toUri().toURL());
            }
        }
        ClassLoader loader =
                new java.net.URLClassLoader(
                        urls.toArray(java.net.URL[]::new), ClassLoader.getPlatformClassLoader());
        Class<?> bench = loader.loadClass(GetBlockDecodeBench.class.getName());
        java.lang.reflect.Method work = bench.getDeclaredMethod("work", Path.class, String.class);
        work.setAccessible(true);
        Object w = work.invoke(null, file, kase);
        java.lang.reflect.Method run =
                loader.loadClass(Work.class.getName()).getDeclaredMethod("run");
        run.setAccessible(true);
        return () -> (Long) run.invoke(w);
    }

    static Work work(Path file, String kase) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Long slot = GetBlockDecoder.slotFromFileName(file.getFileName().toString());
        int txs = GetBlockDecoder.decode(bytes, "bench", slot).transactions().size();
        return switch (kase) {
            case "readTree" ->
                    () -> {
                        sink += MAPPER.readTree(bytes).size();
                        return txs;
                    };
            case "tree" -> () -> treeRows(bytes, slot, TX_ALL);
            case "treeProjected" -> () -> treeRows(bytes, slot, TX_PROJECTED);
            case "tokens" -> () -> tokenRows(bytes, slot, TX_ALL);
            case "tokensProjected" -> () -> tokenRows(bytes, slot, TX_PROJECTED);
            case "scanner" -> () -> rows(bytes, slot, TX_ALL);
            case "scannerProjected" -> () -> rows(bytes, slot, TX_PROJECTED);
            case "scannerJob" -> () -> rows(bytes, slot, TX_JOB);
            case "scannerBlock" ->
                    () -> GetBlockDecoder.decode(bytes, "bench", slot).transactions().size();
            case "base58Alone" -> base58Alone(file);
            case "base58Naive" -> base58Naive(file);
            default -> throw new IllegalArgumentException("unknown case " + kase);
        };
    }

    private static long rows(byte[] bytes, Long slot, Projection p) {
        return SolanaRows.rows(GetBlockDecoder.decode(bytes, "bench", slot, p), p).size();
    }

    private static long treeRows(byte[] bytes, Long slot, Projection p) {
        return SolanaRows.rows(
                        p == TX_ALL
                                ? TreeDecoderBaseline.decode(bytes, "bench", slot)
                                : TreeDecoderBaseline.decode(bytes, "bench", slot, p),
                        p)
                .size();
    }

    private static long tokenRows(byte[] bytes, Long slot, Projection p) {
        return SolanaRows.rows(JacksonTokenDecoder.decode(bytes, "bench", slot, p), p).size();
    }

    private static List<byte[]> base58Texts(Path file) throws IOException {
        List<byte[]> texts = new ArrayList<>();
        for (var tx : MAPPER.readTree(file.toFile()).get("transactions")) {
            texts.add(tx.get("transaction").get(0).asText().getBytes(StandardCharsets.US_ASCII));
        }
        return texts;
    }

    /**
     * Base58 alone: the block's transaction strings decoded into one reused buffer ({@code
     * Base58.decode(byte[], ...)}).
     */
    private static Work base58Alone(Path file) throws IOException {
        List<byte[]> texts = base58Texts(file);
        byte[] buf = new byte[8192];
        return () -> {
            for (byte[] t : texts) {
                sink += io.ipdm.multiformats.Base58.decode(t, 0, t.length, buf, 0);
            }
            return texts.size();
        };
    }

    private static Work base58Naive(Path file) throws IOException {
        List<byte[]> texts = base58Texts(file);
        byte[] buf = new byte[8192];
        return () -> {
            for (byte[] t : texts) {
                sink += naiveBase58(t, buf);
            }
            return texts.size();
        };
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

    /** Runs {@code w} until this thread has used {@code cpuSeconds} of CPU. */
    private static void run(Work w, double cpuSeconds) throws Exception {
        long until = THREADS.getCurrentThreadCpuTime() + (long) (cpuSeconds * 1e9);
        while (THREADS.getCurrentThreadCpuTime() < until) {
            sink += w.run();
        }
    }

    /**
     * Transactions per CPU-second of this thread and per wall second over about {@code cpuSeconds}
     * of this thread's CPU.
     */
    private static Rate measure(Work w, double cpuSeconds) throws Exception {
        long items = 0;
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long until = cpu0 + (long) (cpuSeconds * 1e9);
        long cpu;
        do {
            items += w.run();
            cpu = THREADS.getCurrentThreadCpuTime();
        } while (cpu < until);
        long wall = System.nanoTime() - start;
        return new Rate(items / ((cpu - cpu0) / 1e9), items / (wall / 1e9));
    }
}
