package io.ipdm.mesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.kad.KadConfig;
import io.ipdm.mesh.kad.KadNetwork;
import io.ipdm.mesh.kad.LookupResult;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.ping.Ping;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.multiformats.Multihash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * DHT provider lookup latency on a loopback network of 20 IPDM DHT nodes (one JVM, one event loop
 * each), in two settings of the same run: the default k=20 (every server then holds every record,
 * so a lookup from a client-mode node is one hop) and k=3 (records on the 3 closest servers,
 * lookups from servers that do not hold the record walk several hops). Then a js-libp2p
 * {@code @libp2p/kad-dht} node joins the k=20 network and looks up the same keys (its own timing).
 *
 * <pre>
 * mvn -q -pl mesh test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.ipdm.mesh.bench.KadBench [-Dexec.args="nodes keys lookups"]
 * </pre>
 */
public final class KadBench {
    record Node(Host host, KadNetwork dht, Multiaddr addr) {}

    record Stats(String name, double[] ms, int[] hops, int found, int total, double queried) {
        String line() {
            double[] s = ms.clone();
            Arrays.sort(s);
            int[] h = hops.clone();
            Arrays.sort(h);
            String hopText =
                    h.length == 0
                            ? "n/a"
                            : String.format(
                                    Locale.ROOT,
                                    "%.2f (max %d)",
                                    Arrays.stream(h).average().orElse(0),
                                    h[h.length - 1]);
            return String.format(
                    Locale.ROOT,
                    "| %s | %d/%d | %.2f ms | %.2f ms | %.2f ms | %s | %s |",
                    name,
                    found,
                    total,
                    pct(s, 50),
                    pct(s, 99),
                    s[s.length - 1],
                    hopText,
                    Double.isNaN(queried) ? "n/a" : String.format(Locale.ROOT, "%.1f", queried));
        }
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    static Node node(KadConfig cfg) {
        Host h = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
        Identify id = Identify.install(h, "ipdm-bench", true);
        Ping.install(h);
        KadNetwork dht = KadNetwork.install(h, id, cfg);
        Multiaddr a = h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        return new Node(h, dht, a);
    }

    static List<Node> network(int n, KadConfig cfg) throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(node(cfg));
        }
        for (int i = 1; i < n; i++) {
            nodes.get(i).dht().bootstrap(List.of(nodes.get(0).addr())).get(60, TimeUnit.SECONDS);
        }
        for (Node nd : nodes) { // a second self lookup, now that everyone is in
            nd.dht().bootstrap(List.of()).get(60, TimeUnit.SECONDS);
        }
        return nodes;
    }

    static byte[] key(int i) {
        return Multihash.sha2_256(("kad-bench-" + i).getBytes()).toBytes();
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int lookups = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Random rnd = new Random(42);
        System.out.println("load at start: " + load());
        List<Stats> results = new ArrayList<>();

        // k=20: records everywhere; lookups from a client-mode node.
        KadConfig k20 = KadConfig.defaults();
        List<Node> net = network(n, k20);
        Node client = node(k20.toBuilder().mode(KadConfig.Mode.CLIENT).build());
        client.dht().bootstrap(List.of(net.get(0).addr())).get(60, TimeUnit.SECONDS);
        int[] providerOf = new int[keys];
        for (int i = 0; i < keys; i++) {
            providerOf[i] = rnd.nextInt(n);
            net.get(providerOf[i]).dht().provide(key(i)).get(60, TimeUnit.SECONDS);
        }
        Thread.sleep(500); // ADD_PROVIDER is not acknowledged
        results.add(
                measure(
                        "ipdm, k=20, from a client node",
                        List.of(client),
                        keys,
                        lookups,
                        rnd,
                        net,
                        providerOf));

        // The same lookups from a js-libp2p kad-dht node in the same network.
        try (JsPeer js = JsPeer.start(JsPeer.Service.KAD)) {
            js.call("dial", Duration.ofSeconds(30), "addr", net.get(0).addr().toString());
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (js.call("routing-table", Duration.ofSeconds(30)).get("size").asInt() < 1
                    && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            js.call(
                    "closest-peers",
                    Duration.ofSeconds(60),
                    "key",
                    Base64.getEncoder().encodeToString(new byte[] {1}));
            double[] ms = new double[lookups];
            int found = 0;
            for (int q = 0; q < lookups; q++) {
                int k = rnd.nextInt(keys);
                JsonNode r =
                        js.call(
                                "find-providers",
                                Duration.ofSeconds(60),
                                "key",
                                Base64.getEncoder().encodeToString(key(k)),
                                "count",
                                "1",
                                "timeoutMs",
                                "20000");
                ms[q] = r.get("ms").asDouble();
                if (!r.get("providers").isEmpty()
                        && r.get("providers")
                                .get(0)
                                .get("id")
                                .asText()
                                .equals(net.get(providerOf[k]).host().peerId().toBase58())) {
                    found++;
                }
            }
            results.add(
                    new Stats(
                            "js-libp2p kad-dht 16.4.5, k=20, same network",
                            ms,
                            new int[0],
                            found,
                            lookups,
                            Double.NaN));
        } catch (org.opentest4j.TestAbortedException e) {
            System.out.println("js part skipped: " + e.getMessage());
        }
        close(net);
        client.dht().close();
        client.host().close();

        // k=3: records on the 3 closest servers; lookups from servers without the record.
        KadConfig k3 = KadConfig.defaults().toBuilder().k(3).build();
        List<Node> net3 = network(n, k3);
        for (int i = 0; i < keys; i++) {
            net3.get(providerOf[i]).dht().provide(key(i)).get(60, TimeUnit.SECONDS);
        }
        Thread.sleep(500);
        results.add(
                measure(
                        "ipdm, k=3, from servers without the record",
                        net3,
                        keys,
                        lookups,
                        rnd,
                        net3,
                        providerOf));
        close(net3);

        System.out.println("load at end: " + load());
        System.out.println(
                "| lookups | found | p50 | p99 | max | hops (mean) | peers queried (mean) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Stats s : results) {
            System.out.println(s.line());
        }
    }

    static Stats measure(
            String name,
            List<Node> seekers,
            int keys,
            int lookups,
            Random rnd,
            List<Node> net,
            int[] providerOf)
            throws Exception {
        // warm-up (JIT) lookups, not counted
        for (int q = 0; q < 50; q++) {
            seekers.get(q % seekers.size())
                    .dht()
                    .findProviders(key(q % keys), 1, Duration.ofSeconds(10))
                    .get(30, TimeUnit.SECONDS);
        }
        double[] ms = new double[lookups];
        int[] hops = new int[lookups];
        int found = 0;
        long queried = 0;
        for (int q = 0; q < lookups; q++) {
            int k = rnd.nextInt(keys);
            Node seeker;
            do {
                seeker = seekers.get(rnd.nextInt(seekers.size()));
            } while (seekers.size() > 1 && !seeker.dht().localProviders(key(k)).isEmpty());
            long t0 = System.nanoTime();
            LookupResult r =
                    seeker.dht()
                            .findProviders(key(k), 1, Duration.ofSeconds(10))
                            .get(30, TimeUnit.SECONDS);
            ms[q] = (System.nanoTime() - t0) / 1e6;
            hops[q] = r.hops();
            queried += r.queried();
            if (!r.providers().isEmpty()
                    && r.providers().get(0).id().equals(net.get(providerOf[k]).host().peerId())) {
                found++;
            }
        }
        return new Stats(name, ms, hops, found, lookups, queried / (double) lookups);
    }

    static void close(List<Node> nodes) {
        for (Node nd : nodes) {
            nd.dht().close();
            nd.host().close();
        }
    }
}
