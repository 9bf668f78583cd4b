package io.ipdm.lakes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.bitswap.BitswapConfig;
import io.ipdm.lakes.bitswap.BitswapNetwork;
import io.ipdm.lakes.bitswap.BitswapSession;
import io.ipdm.lakes.bitswap.BlockStore;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.multiformats.Cid;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Moves one UnixFS DAG (default 256 MiB in 256 KiB raw leaves, built by Helia's importer) over
 * Bitswap on loopback, in one run: Helia -> IPDM, IPDM -> IPDM, IPDM -> Helia and Helia -> Helia.
 * Every receiver stores the blocks (IPDM: its lake, warm tier on RocksDB; Helia: its memory
 * blockstore) and the content's SHA-256 is checked after each transfer. Options: {@code -Dmib=256}
 * and {@code -Dparallel=128} (IPDM wants in flight). See docs/BENCHMARKS.md for the command.
 */
public final class BitswapBench {
    private static final Duration T = Duration.ofMinutes(10);

    private record Node(Host host, TieredStore store, BitswapNetwork bitswap, Multiaddr addr)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            bitswap.close();
            host.close();
            store.close();
        }
    }

    public static void main(String[] args) throws Exception {
        int mib = Integer.getInteger("mib", 256);
        int parallel = Integer.getInteger("parallel", 128);
        long bytes = (long) mib << 20;
        Path dir = Files.createTempDirectory("bitswap-bench");
        List<AutoCloseable> open = new ArrayList<>();
        if (Boolean.getBoolean("ipdmOnly")) {
            ipdmOnly(dir, mib, parallel);
            System.exit(0);
        }
        try {
            JsPeer h1 = JsPeer.start(JsPeer.Service.HELIA);
            open.add(h1);
            JsonNode added = h1.call("addFile", T, "seed", 42, "size", bytes, "chunk", 256 << 10);
            Cid root = Cid.parse(added.get("cid").asText());
            String sha = added.get("sha256").asText();
            System.out.printf("DAG %s: %d MiB, sha256 %s%n", root, mib, sha);

            Node i1 = node(dir.resolve("i1"));
            open.add(i1);
            i1.host().dial(h1.addr()).get(10, TimeUnit.SECONDS);
            Cpu c = Cpu.start(h1);
            double heliaToIpdm = fetch(i1, root, parallel, bytes, sha);
            report("Helia -> IPDM", bytes, heliaToIpdm, c.stop());

            Node i2 = node(dir.resolve("i2"));
            open.add(i2);
            i2.host().dial(i1.addr()).get(10, TimeUnit.SECONDS);
            c = Cpu.start();
            double ipdmToIpdm = fetch(i2, root, parallel, bytes, sha);
            report("IPDM -> IPDM", bytes, ipdmToIpdm, c.stop());

            JsPeer h2 = JsPeer.start(JsPeer.Service.HELIA);
            open.add(h2);
            h2.call("dial", T, "addr", i1.addr().toString());
            c = Cpu.start(h2);
            double ipdmToHelia = cat(h2, root, bytes, sha);
            report("IPDM -> Helia", bytes, ipdmToHelia, c.stop());

            JsPeer h3 = JsPeer.start(JsPeer.Service.HELIA);
            open.add(h3);
            h3.call("dial", T, "addr", h1.addr().toString());
            c = Cpu.start(h1, h3);
            double heliaToHelia = cat(h3, root, bytes, sha);
            report("Helia -> Helia", bytes, heliaToHelia, c.stop());

            System.out.printf(
                    "IPDM -> IPDM / Helia -> Helia = %.2fx; IPDM -> Helia / Helia -> Helia = %.2fx;"
                            + " Helia -> IPDM / Helia -> Helia = %.2fx%n",
                    heliaToHelia / ipdmToIpdm,
                    heliaToHelia / ipdmToHelia,
                    heliaToHelia / heliaToIpdm);
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
        System.exit(0);
    }

    /** IPDM -> IPDM alone, on a DAG built here (for profiling without Node). */
    private static void ipdmOnly(Path dir, int mib, int parallel) throws Exception {
        java.util.Random rnd = new java.util.Random(42);
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < mib * 4; i++) {
            byte[] c = new byte[256 << 10];
            rnd.nextBytes(c);
            chunks.add(c);
        }
        List<Block> file = UnixFsFile.build(chunks);
        Cid root = file.get(file.size() - 1).cid();
        try (Node i1 = node(dir.resolve("i1"));
                Node i2 = node(dir.resolve("i2"))) {
            i1.store().putAll(file);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
                UnixFsFile.write(i1.store(), root, out);
            }
            String sha = HexFormat.of().formatHex(md.digest());
            i2.host().dial(i1.addr()).get(10, TimeUnit.SECONDS);
            long bytes = (long) mib << 20;
            java.lang.management.ThreadMXBean tm =
                    java.lang.management.ManagementFactory.getThreadMXBean();
            java.util.Map<Long, Long> before = new java.util.HashMap<>();
            for (long id : tm.getAllThreadIds()) {
                before.put(id, tm.getThreadCpuTime(id));
            }
            report("IPDM -> IPDM", bytes, fetch(i2, root, parallel, bytes, sha));
            java.util.Map<String, Long> byName = new java.util.TreeMap<>();
            for (long id : tm.getAllThreadIds()) {
                java.lang.management.ThreadInfo ti = tm.getThreadInfo(id);
                if (ti == null) {
                    continue;
                }
                String name =
                        ti.getThreadName().replaceAll("12D3KooW\\w+", "").replaceAll("\\d+", "#");
                byName.merge(
                        name, tm.getThreadCpuTime(id) - before.getOrDefault(id, 0L), Long::sum);
            }
            byName.forEach(
                    (k, v) -> {
                        if (v > 20_000_000) System.out.printf("  %-40s %.2f s%n", k, v / 1e9);
                    });
            System.out.printf("  CPU %.2f s (sender and receiver)%n", lastCpuSeconds);
        }
    }

    private static void report(String what, long bytes, double seconds) {
        System.out.printf("%-15s %8.1f MB/s  (%.2f s)%n", what, bytes / 1e6 / seconds, seconds);
    }

    private static void report(String what, long bytes, double seconds, double cpuSeconds) {
        System.out.printf(
                "%-15s %8.1f MB/s  (%.2f s; %.2f CPU s, %.1f MB per CPU second)%n",
                what, bytes / 1e6 / seconds, seconds, cpuSeconds, bytes / 1e6 / cpuSeconds);
    }

    /**
     * CPU time of this JVM (both IPDM nodes; idle while only Helia nodes move data) plus the given
     * Helia processes, so sender and receiver are both counted.
     */
    private record Cpu(long jvm0, List<JsPeer> helias, List<Long> helia0) {
        static Cpu start(JsPeer... hs) {
            List<Long> h0 = new ArrayList<>();
            for (JsPeer h : hs) {
                h0.add(h.call("cpu", T).get("micros").asLong());
            }
            return new Cpu(cpuNanos(), List.of(hs), h0);
        }

        double stop() {
            double s = (cpuNanos() - jvm0) / 1e9;
            for (int i = 0; i < helias.size(); i++) {
                s += (helias.get(i).call("cpu", T).get("micros").asLong() - helia0.get(i)) / 1e6;
            }
            return s;
        }
    }

    private static Node node(Path dir) throws Exception {
        Host host = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
        Identify.install(host, "ipdm-bitswap-bench", true);
        // the hot tier holds the DAG, as Helia's memory blockstore does; puts still sync to warm
        TieredStore store = TieredStore.open(dir, 512L << 20, 64 << 20);
        BitswapNetwork n =
                BitswapNetwork.start(
                        host, BlockStore.of(store), BitswapConfig.defaults(), Clock.systemUTC());
        Multiaddr addr = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        return new Node(host, store, n, addr);
    }

    /** CPU seconds the JVM (both IPDM nodes) spent in the last {@link #fetch}. */
    private static double lastCpuSeconds;

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Fetches the DAG into the node's lake; returns seconds. */
    private static double fetch(Node n, Cid root, int parallel, long bytes, String sha)
            throws Exception {
        List<Block> batch = new ArrayList<>();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        try (BitswapSession s = n.bitswap().session(List.of())) {
            s.fetchDag(
                    root,
                    n.store(),
                    b -> {
                        batch.add(b);
                        if (batch.size() == 64) {
                            n.store().putAll(batch);
                            batch.clear();
                        }
                    },
                    parallel,
                    T);
        }
        n.store().putAll(batch);
        double seconds = (System.nanoTime() - t0) / 1e9;
        lastCpuSeconds = (cpuNanos() - cpu0) / 1e9;
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long written;
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            written = UnixFsFile.write(n.store(), root, out);
        }
        check(written, bytes, HexFormat.of().formatHex(md.digest()), sha);
        return seconds;
    }

    /** Has Helia read the whole file from the peer it dialed; returns seconds. */
    private static double cat(JsPeer h, Cid root, long bytes, String sha) {
        JsonNode r = h.call("cat", T, "cid", root.toString(), "timeoutMs", T.toMillis());
        check(r.get("size").asLong(), bytes, r.get("sha256").asText(), sha);
        return r.get("ms").asDouble() / 1000;
    }

    private static void check(long size, long bytes, String got, String sha) {
        if (size != bytes || !got.equals(sha)) {
            throw new IllegalStateException(
                    "content differs: " + size + " bytes, sha256 " + got + ", expected " + sha);
        }
    }

    private BitswapBench() {}
}
