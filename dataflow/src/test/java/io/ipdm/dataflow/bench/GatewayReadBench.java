package io.ipdm.dataflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.dataflow.testing.NodeProcess;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.cli.LakeCommands;
import io.ipdm.lakes.ipld.InlineBlocks;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.node.IpfsNetwork;
import io.ipdm.lakes.node.LakeNode;
import io.ipdm.lakes.node.NodeConfig;
import io.ipdm.lakes.node.NodeRole;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway-only node reading three real Old Faithful CARs (epoch 0, ~712 dag-cbor blocks each)
 * from three storage nodes over Bitswap, twice in one run: every node in this JVM ({@link
 * LakeNode}s over loopback TCP, as the lava-lakes network tests run them), then every node its own
 * {@code ipdm node} JVM ({@link NodeProcess}, as a user runs them). For each: the first CAR through
 * {@code /ipfs/ROOT?format=car} on a fresh gateway (time to first byte, whole body), the second the
 * same way once the gateway has served one, and the third walked by a client block by block with
 * {@code ?format=raw}. Prints the times and the ratio separate/in-process; asserts only that every
 * answer is the archive's blocks. Not part of the suite (no {@code Test} suffix):
 *
 * <pre>
 * flock /work/bench.lock mvn -B -o -pl dataflow -am test -Dspotless.check.skip=true \
 *     -Dtest=GatewayReadBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * {@code -Dbench.jfr=DIR} records the separate gateway's and first storage node's JVMs with JFR
 * (profile settings) into {@code DIR}; {@code -Dbench.rounds=N} repeats the whole comparison. The
 * test JVM's classpath is written to {@code target/gateway-read-bench.classpath}, so a build kept
 * aside (e.g. the code before a change) can be run with {@code java -cp ... GatewayReadBench} from
 * the {@code dataflow} directory, against the change in the same session.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class GatewayReadBench {
    private static final String DATA = "solana/yellowstone-faithful-epoch0-car/";
    private static final int STORAGE = 3;

    private record Archive(Path car, Cid root, Set<Cid> blocks) {}

    /** One gateway's three reads, in milliseconds. */
    private record Reads(
            double carFirstByte,
            double carWhole,
            double car2FirstByte,
            double car2Whole,
            double rawWalk) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "CAR (fresh gateway) first byte %.0f ms, whole %.0f ms; CAR (second DAG)"
                            + " first byte %.0f ms, whole %.0f ms; raw walk (third DAG) %.0f ms",
                    carFirstByte,
                    carWhole,
                    car2FirstByte,
                    car2Whole,
                    rawWalk);
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("gateway-read-bench");
        new GatewayReadBench().run(dir);
        System.exit(0);
    }

    @Test
    void inProcessAgainstSeparateProcesses(@TempDir Path dir) throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.writeString(
                Path.of("target", "gateway-read-bench.classpath"),
                System.getProperty("java.class.path"));
        if (!Boolean.getBoolean("bench.classpathOnly")) {
            run(dir);
        }
    }

    private void run(Path dir) throws Exception {
        Path data = Path.of(System.getProperty("ipdm.shared.data", "../../shared/data"), DATA);
        Assumptions.assumeTrue(
                Files.exists(data.resolve("epoch-0-1.car")),
                "Old Faithful CARs not found under ../shared/data; skipping");
        List<Archive> archives = new ArrayList<>();
        for (String name : List.of("epoch-0-1.car", "epoch-0-2.car", "epoch-0-3.car")) {
            archives.add(archive(data.resolve(name)));
        }
        int rounds = Integer.getInteger("bench.rounds", 1);
        for (int r = 1; r <= rounds; r++) {
            Path round = dir.resolve("round-" + r);
            System.out.println("load before: " + load());
            Reads in = inProcess(round.resolve("in"), archives);
            System.out.println("round " + r + " in-process:       " + in);
            System.out.println("load between: " + load());
            Reads sep = separate(round.resolve("sep"), archives);
            System.out.println("round " + r + " separate JVMs:    " + sep);
            System.out.println("load after: " + load());
            System.out.printf(
                    Locale.ROOT,
                    "round %d ratio separate/in-process: CAR first byte %.2f, CAR whole %.2f,"
                            + " second CAR whole %.2f, raw walk %.2f%n",
                    r,
                    sep.carFirstByte() / in.carFirstByte(),
                    sep.carWhole() / in.carWhole(),
                    sep.car2Whole() / in.car2Whole(),
                    sep.rawWalk() / in.rawWalk());
        }
    }

    private static Archive archive(Path car) throws Exception {
        Set<Cid> blocks = new HashSet<>();
        Cid root;
        try (CarReader r = CarReader.open(Files.newInputStream(car))) {
            root = r.header().roots().get(0);
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                blocks.add(s.block().cid());
            }
        }
        return new Archive(car, root, blocks);
    }

    private static void importAll(Path lake, List<Archive> archives) throws Exception {
        try (LakeCommands l = LakeCommands.open(lake, StorageConfig.defaults())) {
            for (Archive a : archives) {
                l.importCar(a.car());
            }
        }
    }

    private Reads inProcess(Path dir, List<Archive> archives) throws Exception {
        List<LakeNode> nodes = new ArrayList<>();
        try {
            List<Multiaddr> first = List.of();
            for (int i = 0; i < STORAGE; i++) {
                Path lake = dir.resolve("s" + i);
                importAll(lake, archives);
                LakeNode n =
                        LakeNode.start(
                                NodeConfig.builder(Set.of(NodeRole.STORAGE), lake)
                                        .bootstrap(first)
                                        .build(),
                                IpfsNetwork::install);
                nodes.add(n);
                if (i == 0) {
                    first = List.of(n.mesh().addresses().get(0));
                }
            }
            Multiaddr boot = nodes.get(1).mesh().addresses().get(0);
            LakeNode gw =
                    LakeNode.start(
                            NodeConfig.builder(Set.of(NodeRole.GATEWAY), dir.resolve("gw"))
                                    .bootstrap(List.of(boot))
                                    .build(),
                            IpfsNetwork::install);
            nodes.add(gw);
            return reads(gw.gateway().baseUri().toString(), archives);
        } finally {
            for (int i = nodes.size() - 1; i >= 0; i--) {
                nodes.get(i).close();
            }
        }
    }

    private Reads separate(Path dir, List<Archive> archives) throws Exception {
        List<Process> processes = new ArrayList<>();
        String jfr = System.getProperty("bench.jfr");
        try {
            String first = null;
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < STORAGE; i++) {
                Path lake = dir.resolve("s" + i);
                importAll(lake, archives);
                List<String> args =
                        new ArrayList<>(
                                List.of("--role", "storage", "--listen", "/ip4/127.0.0.1/tcp/0"));
                if (first != null) {
                    args.addAll(List.of("--bootstrap", first));
                }
                Process p =
                        NodeProcess.command(lake, jvm(jfr, i == 0 ? "storage" : null), args)
                                .start();
                processes.add(p);
                JsonNode info = NodeProcess.awaitInfo(lake, p);
                addresses.add(info.path("addresses").get(0).asText());
                if (i == 0) {
                    first = addresses.get(0);
                }
            }
            Path gwLake = dir.resolve("gw");
            Process gw =
                    NodeProcess.command(
                                    gwLake,
                                    jvm(jfr, "gateway"),
                                    List.of(
                                            "--role",
                                            "gateway",
                                            "--listen",
                                            "/ip4/127.0.0.1/tcp/0",
                                            "--gateway-port",
                                            "0",
                                            "--bootstrap",
                                            addresses.get(1)))
                            .start();
            processes.add(gw);
            JsonNode info = NodeProcess.awaitInfo(gwLake, gw);
            return reads(info.path("gateway").asText(), archives);
        } finally {
            for (Process p : processes) {
                // SIGTERM first: a JFR recording is written on a normal exit
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static List<String> jvm(String jfr, String name) {
        List<String> out = new ArrayList<>(List.of("-Xmx192m"));
        if (jfr != null && name != null) {
            out.add(
                    "-XX:StartFlightRecording=settings=profile,filename="
                            + Path.of(jfr).toAbsolutePath().resolve(name + ".jfr"));
        }
        return out;
    }

    private Reads reads(String base, List<Archive> archives) throws Exception {
        double[] car1 = car(base, archives.get(0));
        double[] car2 = car(base, archives.get(1));
        double walk = rawWalk(base, archives.get(2));
        return new Reads(car1[0], car1[1], car2[0], car2[1], walk);
    }

    /** {@code GET /ipfs/ROOT?format=car}: {first byte, whole} in ms; checks the blocks. */
    private double[] car(String base, Archive a) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(base + "/ipfs/" + a.root() + "?format=car"))
                                .timeout(Duration.ofSeconds(120))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        byte[] body;
        long first;
        try (InputStream in = r.body()) {
            int b0 = in.read();
            first = System.nanoTime();
            byte[] rest = in.readAllBytes();
            body = new byte[rest.length + 1];
            body[0] = (byte) b0;
            System.arraycopy(rest, 0, body, 1, rest.length);
        }
        long end = System.nanoTime();
        assertThat(r.statusCode()).as(new String(body)).isEqualTo(200);
        Set<Cid> got = new HashSet<>();
        try (CarReader cr = CarReader.open(new ByteArrayInputStream(body))) {
            for (CarReader.Section s = cr.next(); s != null; s = cr.next()) {
                got.add(s.block().cid()); // the reader re-hashes every block against its CID
            }
        }
        assertThat(got).isEqualTo(a.blocks());
        return new double[] {(first - t0) / 1e6, (end - t0) / 1e6};
    }

    /** A client's depth-first walk, one {@code ?format=raw} request per block; ms. */
    private double rawWalk(String base, Archive a) throws Exception {
        long t0 = System.nanoTime();
        Deque<Cid> todo = new ArrayDeque<>(List.of(a.root()));
        Set<Cid> seen = new HashSet<>(todo);
        while (!todo.isEmpty()) {
            Cid c = todo.pop();
            HttpResponse<byte[]> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/ipfs/" + c + "?format=raw"))
                                    .timeout(Duration.ofSeconds(60))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
            Block b = new Block(c, r.body()).verified();
            List<Cid> links = Links.of(b);
            for (int i = links.size() - 1; i >= 0; i--) {
                if (seen.add(links.get(i))) {
                    todo.push(links.get(i));
                }
            }
        }
        seen.removeIf(InlineBlocks::isInline); // inside their CIDs, not in the archive
        assertThat(seen).isEqualTo(a.blocks());
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String load() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
