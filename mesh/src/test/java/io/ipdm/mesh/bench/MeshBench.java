package io.ipdm.mesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.gossipsub.GossipSub;
import io.ipdm.mesh.gossipsub.ScoreParams;
import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 10-node loopback gossipsub mesh, each node dialing 3 seeded random others, 1 KiB messages: fully
 * delivered messages per second (a burst from all nodes) and p50/p99 delivery latency at 20 msg/s,
 * for our nodes and for js-libp2p nodes with the same topology, in the same run.
 *
 * <p>From the repository root (plain {@code java}: mesh depends on the reactor's {@code
 * multiformats} module, which is not installed, so {@code exec:java} without {@code -am} cannot
 * resolve it):
 *
 * <pre>
 * mvn -q -o -pl mesh -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/bench.cp
 * CP=mesh/target/test-classes:mesh/target/classes:$(cat mesh/target/bench.cp)
 * flock /work/bench.lock java -cp $CP io.ipdm.mesh.bench.MeshBench [javaBurst jsBurst seconds]
 * </pre>
 */
public final class MeshBench {
    static final String TOPIC = "ipdm/bench";
    static final int NODES = 10;
    static final int DEGREE = 3;
    static final int SIZE = 1024;
    static final long SEED = 42;
    static final int RATE = 20;

    record Result(
            String name, long messages, long delivered, double seconds, double p50, double p99) {
        double throughput() {
            return delivered / (double) (NODES - 1) / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int javaBurst = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int jsBurst = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int latencySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        List<int[]> edges = topology();
        System.out.println(
                "topology (seed " + SEED + "): " + edges.stream().map(Arrays::toString).toList());
        Result[] java = runJava(edges, javaBurst, latencySeconds);
        if (jsBurst == 0) { // ours only, for profiling
            System.out.printf(
                    Locale.ROOT,
                    "ipdm-mesh: %.1f msgs/s fully delivered; p50 %.2f ms, p99 %.2f ms%n",
                    java[0].throughput(),
                    java[1].p50(),
                    java[1].p99());
            System.exit(0);
        }
        Result[] js = runJs(edges, jsBurst, latencySeconds);
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-12s %14s %12s %10s %10s%n",
                "impl",
                "msgs/s (full)",
                "delivered",
                "p50 ms",
                "p99 ms");
        for (Result r : List.of(java[0], js[0])) {
            System.out.printf(
                    Locale.ROOT,
                    "%-12s %14.1f %12s %10s %10s   (burst of %d, %.1f s)%n",
                    r.name(),
                    r.throughput(),
                    r.delivered() + "/" + r.messages() * (NODES - 1),
                    "-",
                    "-",
                    r.messages(),
                    r.seconds());
        }
        for (Result r : List.of(java[1], js[1])) {
            System.out.printf(
                    Locale.ROOT,
                    "%-12s %14s %12s %10.2f %10.2f   (%d msg/s for %d s)%n",
                    r.name(),
                    "-",
                    r.delivered() + "/" + r.messages() * (NODES - 1),
                    r.p50(),
                    r.p99(),
                    RATE,
                    latencySeconds);
        }
        System.out.printf(
                Locale.ROOT,
                "ratio java/js: throughput %.1fx, p50 %.2fx, p99 %.2fx%n",
                java[0].throughput() / js[0].throughput(),
                java[1].p50() / js[1].p50(),
                java[1].p99() / js[1].p99());
        System.exit(0);
    }

    static List<int[]> topology() {
        Random r = new Random(SEED);
        Set<String> seen = new HashSet<>();
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            int added = 0;
            while (added < DEGREE) {
                int j = r.nextInt(NODES);
                if (j == i || !seen.add(Math.min(i, j) + "-" + Math.max(i, j))) {
                    if (j != i) {
                        added++; // already linked the other way: counts as one of i's dials
                    }
                    continue;
                }
                edges.add(new int[] {i, j});
                added++;
            }
        }
        return edges;
    }

    // ------------------------------------------------------------------ ours

    static Result[] runJava(List<int[]> edges, int burst, int latencySeconds) throws Exception {
        List<Host> hosts = new ArrayList<>();
        List<GossipSub> routers = new ArrayList<>();
        AtomicLong received = new AtomicLong();
        long[] latencies = new long[(RATE * latencySeconds + 10) * (NODES - 1)];
        AtomicLong latencyCount = new AtomicLong();
        boolean[] recordLatency = {false};
        byte[] phase = {0};
        try {
            for (int i = 0; i < NODES; i++) {
                Host h = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
                h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
                Identify id = Identify.install(h, "ipdm-bench", true);
                GossipSub g =
                        GossipSub.install(h, id, GossipConfig.defaults(), ScoreParams.defaults());
                g.subscribe(
                        TOPIC,
                        (m, from) -> {
                            ByteBuffer d = ByteBuffer.wrap(m.data());
                            if (d.get(16) != phase[0]) {
                                return; // a straggler from an earlier phase
                            }
                            received.incrementAndGet();
                            if (recordLatency[0]) {
                                long sent = d.getLong(0);
                                int k = (int) latencyCount.getAndIncrement();
                                if (k < latencies.length) {
                                    latencies[k] = System.nanoTime() - sent;
                                }
                            }
                        });
                hosts.add(h);
                routers.add(g);
            }
            for (int[] e : edges) {
                Host b = hosts.get(e[1]);
                hosts.get(e[0])
                        .dial(b.listenAddrs().get(0).withPeerId(b.peerId()))
                        .get(10, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (routers.stream().anyMatch(r -> r.meshPeers(TOPIC).isEmpty())
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(2000); // meshes settle over a couple of heartbeats
            // Warm-up.
            phase[0] = 1;
            burstJava(routers, received, 200, phase[0]);
            // Latency at a fixed rate.
            received.set(0);
            phase[0] = 3;
            recordLatency[0] = true;
            int n = RATE * latencySeconds;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + i * (1_000_000_000L / RATE);
                while (System.nanoTime() < due) {
                    Thread.sleep(0, 200_000);
                }
                routers.get(i % NODES).publish(TOPIC, payload(i, phase[0]));
            }
            waitFor(received, (long) n * (NODES - 1), 60);
            int count = (int) Math.min(latencyCount.get(), latencies.length);
            double[] ms = new double[count];
            for (int i = 0; i < count; i++) {
                ms[i] = latencies[i] / 1e6;
            }
            Arrays.sort(ms);
            recordLatency[0] = false;
            Result latency =
                    new Result(
                            "ipdm-mesh",
                            n,
                            received.get(),
                            latencySeconds,
                            pct(ms, 50),
                            pct(ms, 99));
            // Throughput: a burst from all nodes, bounded in flight, until fully delivered.
            received.set(0);
            phase[0] = 2;
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            long dup0 = routers.stream().mapToLong(r -> r.metrics().duplicates()).sum();
            long delivered = burstJava(routers, received, burst, phase[0]);
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpuMs = (processCpuNanos() - cpu0) / 1e6;
            long dups = routers.stream().mapToLong(r -> r.metrics().duplicates()).sum() - dup0;
            Result tput = new Result("ipdm-mesh", burst, delivered, secs, 0, 0);
            System.out.printf(
                    Locale.ROOT,
                    "java burst: %d msgs fully delivered in %.2f s, %.2f ms CPU per message"
                            + " (all 10 nodes), %.1f duplicate copies received per message%n",
                    burst,
                    secs,
                    cpuMs / burst,
                    dups / (double) burst);
            return new Result[] {tput, latency};
        } finally {
            hosts.forEach(Host::close);
        }
    }

    private static long burstJava(
            List<GossipSub> routers, AtomicLong received, int count, byte phase)
            throws InterruptedException {
        long target = (long) count * (NODES - 1);
        long window = 500L * (NODES - 1);
        for (int i = 0; i < count; i++) {
            while ((long) i * (NODES - 1) - received.get() > window) {
                Thread.sleep(0, 100_000);
            }
            routers.get(i % NODES).publish(TOPIC, payload(i, phase));
        }
        return waitFor(received, target, 180);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {@code i64 send time (nanoTime), i64 counter, u8 phase}, zero-padded to 1 KiB. */
    private static byte[] payload(int i, byte phase) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putLong(System.nanoTime());
        b.putLong(i);
        b.put(phase);
        return b.array();
    }

    private static long waitFor(AtomicLong received, long target, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (received.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return received.get();
    }

    static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    // ------------------------------------------------------------------ js-libp2p

    static Result[] runJs(List<int[]> edges, int burst, int latencySeconds) throws Exception {
        List<JsPeer> peers = new ArrayList<>();
        Duration t = Duration.ofSeconds(60);
        try {
            for (int i = 0; i < NODES; i++) {
                peers.add(JsPeer.start());
            }
            for (JsPeer p : peers) {
                p.call("subscribe", t, "topic", TOPIC);
            }
            for (int[] e : edges) {
                peers.get(e[0]).call("dial", t, "addr", peers.get(e[1]).addr().toString());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                boolean ok = true;
                for (JsPeer p : peers) {
                    ok &= p.call("mesh", t, "topic", TOPIC).path("peers").size() > 0;
                }
                if (ok) {
                    break;
                }
                Thread.sleep(200);
            }
            Thread.sleep(2000);
            // Latency at the same fixed rate, publishers round robin.
            int n = RATE * latencySeconds;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + i * (1_000_000_000L / RATE);
                while (System.nanoTime() < due) {
                    Thread.sleep(0, 200_000);
                }
                peers.get(i % NODES)
                        .call(
                                "bench-burst",
                                t,
                                "topic",
                                TOPIC,
                                "count",
                                "1",
                                "size",
                                "" + SIZE,
                                "intervalMs",
                                "0",
                                "tag",
                                "l");
            }
            Thread.sleep(5000);
            List<Double> lat = new ArrayList<>();
            long delivered = 0;
            for (JsPeer p : peers) {
                JsonNode r = p.call("bench-report", t);
                delivered += r.path("received").asLong();
                r.path("latencies").forEach(x -> lat.add(x.asDouble()));
            }
            double[] ms = lat.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            Result latency =
                    new Result("js-libp2p", n, delivered, latencySeconds, pct(ms, 50), pct(ms, 99));
            // Throughput: every node publishes its share as fast as its publish() resolves. The
            // counters restart so the latency phase's deliveries do not count towards the burst.
            for (JsPeer p : peers) {
                p.call("bench-reset", t);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < NODES; i++) {
                int share = burst / NODES + (i < burst % NODES ? 1 : 0);
                peers.get(i)
                        .call(
                                "bench-burst",
                                t,
                                "topic",
                                TOPIC,
                                "count",
                                "" + share,
                                "size",
                                "" + SIZE,
                                "intervalMs",
                                "0",
                                "tag",
                                "b");
            }
            long target = (long) burst * (NODES - 1);
            long got = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < end) {
                got = 0;
                for (JsPeer p : peers) {
                    got += p.call("bench-count", t).path("received").asLong();
                }
                if (got >= target) {
                    break;
                }
                Thread.sleep(100);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    Locale.ROOT, "js burst: %d/%d deliveries in %.2f s%n", got, target, secs);
            Result tput = new Result("js-libp2p", burst, got, secs, 0, 0);
            return new Result[] {tput, latency};
        } finally {
            peers.forEach(JsPeer::close);
        }
    }
}
