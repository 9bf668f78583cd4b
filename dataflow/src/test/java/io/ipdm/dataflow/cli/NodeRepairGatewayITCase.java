package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.dataflow.testing.NodeProcess;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.cli.LakeCommands;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.KeyFile;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The path a user takes through the network, as separate {@code ipdm node} JVMs on loopback: a real
 * Old Faithful CAR (Solana mainnet epoch 0, slots 0-9, 712 dag-cbor blocks) imported into the first
 * of four storage nodes (the others' only bootstrap peer), {@code ipdm net subscribe} at factor 3,
 * the importer killed with SIGKILL, the three storage nodes left finding each other without it and
 * all holding the whole DAG again, and a gateway-only node (which holds nothing itself) serving the
 * root as raw bytes and the DAG as a CAR with exactly the archive's blocks. Skipped with a message
 * when ../shared/data is absent.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class NodeRepairGatewayITCase {
    private static final int STORAGE = 4;
    private static final int FACTOR = 3;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> lakes = new ArrayList<>();
    private Path car;

    @BeforeEach
    void findCar() {
        car =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../../shared/data"),
                        "solana/yellowstone-faithful-epoch0-car/epoch-0-1.car");
        Assumptions.assumeTrue(
                Files.exists(car),
                "Old Faithful epoch-0-1.car not found under ../shared/data; skipping");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        // the nodes' output outlives the temporary directory, for reading after a failure
        Path keep = Path.of("target", "node-repair-gateway-itcase");
        Files.createDirectories(keep);
        for (Path lake : lakes) {
            for (String f : List.of("stdout.txt", "stderr.txt")) {
                if (Files.exists(lake.resolve(f))) {
                    Files.copy(
                            lake.resolve(f),
                            keep.resolve(lake.getFileName() + "-" + f),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private record Node(Path lake, Process process, JsonNode info) {}

    private Node start(Path lake, List<String> args) throws Exception {
        lakes.add(lake);
        Process p = NodeProcess.command(lake, List.of("-Xmx192m"), args).start();
        processes.add(p);
        return new Node(lake, p, NodeProcess.awaitInfo(lake, p));
    }

    private Node storage(Path lake, Path trust, String bootstrap) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--role",
                                "storage",
                                "--listen",
                                "/ip4/127.0.0.1/tcp/0",
                                "--repair-interval",
                                "2s",
                                "--trust",
                                trust.toString()));
        if (bootstrap != null) {
            args.addAll(List.of("--bootstrap", bootstrap));
        }
        return start(lake, args);
    }

    /** The node's own view: it holds the whole DAG and is one of the root's active servers. */
    private static boolean activeHolder(Node n, Cid root) {
        try {
            JsonNode s = NodeAdmin.ofLake(n.lake()).get("/durability/status?cid=" + root).json();
            if (!s.path("holds_locally").asBoolean()) {
                return false;
            }
            for (JsonNode v : s.path("servers")) {
                if (v.path("self").asBoolean()) {
                    return v.path("role").asText().equals("active");
                }
            }
            return false;
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    /**
     * The peers the node's durability view lists as servers of the root and sees up, itself
     * included (a holder that went down stays listed with {@code down_since} for a while).
     */
    private static List<String> servers(Node n, Cid root) {
        try {
            JsonNode s = NodeAdmin.ofLake(n.lake()).get("/durability/status?cid=" + root).json();
            List<String> out = new ArrayList<>();
            s.path("servers")
                    .forEach(
                            v -> {
                                if (v.path("down_since").isNull()
                                        || v.path("down_since").isMissingNode()) {
                                    out.add(v.path("peer").asText());
                                }
                            });
            return out;
        } catch (Exception | AssertionError e) {
            return List.of();
        }
    }

    private static List<Node> holders(List<Node> nodes, Cid root) {
        return nodes.stream().filter(n -> n.process().isAlive() && activeHolder(n, root)).toList();
    }

    /** Each live node's durability view of the root, for a failure message. */
    private static String views(List<Node> nodes, Cid root) {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append("\n  ").append(n.lake().getFileName()).append(": ");
            if (!n.process().isAlive()) {
                sb.append("killed");
                continue;
            }
            try {
                sb.append(NodeAdmin.ofLake(n.lake()).get("/durability/status?cid=" + root).json());
            } catch (Exception | AssertionError e) {
                sb.append("status failed: ").append(e.getMessage());
            }
        }
        return sb.toString();
    }

    private static void await(String what, long seconds, BooleanSupplier cond)
            throws InterruptedException {
        await(what, seconds, cond, () -> "");
    }

    private static void await(
            String what, long seconds, BooleanSupplier cond, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + seconds + " s waiting for " + what + state.get());
            }
            Thread.sleep(500);
        }
    }

    private static Map<Cid, byte[]> blocks(InputStream carBytes) throws Exception {
        Map<Cid, byte[]> out = new LinkedHashMap<>();
        try (CarReader r = CarReader.open(carBytes)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                Block b = s.block();
                out.put(b.cid(), b.data());
            }
        }
        return out;
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        assertThat(code).as("ipdm %s: %s", String.join(" ", args), err).isZero();
        return out.toString();
    }

    @Test
    void aKilledHolderIsReplacedAndTheGatewayServesTheArchive(@TempDir Path dir) throws Exception {
        Map<Cid, byte[]> archive;
        Cid root;
        try (InputStream in = Files.newInputStream(car)) {
            archive = blocks(in);
        }
        try (CarReader r = CarReader.open(Files.newInputStream(car))) {
            root = r.header().roots().get(0);
        }
        assertThat(archive).hasSize(712);

        Ed25519KeyPair user = Ed25519KeyPair.generate();
        Path userKey = dir.resolve("user.key");
        KeyFile.save(user, userKey);
        Path trust = dir.resolve("keys.yaml");
        Files.writeString(
                trust,
                "keys:\n  - name: me\n    peer_id: "
                        + user.peerId()
                        + "\n    roles: [subscribe]\n");
        try (LakeCommands l = LakeCommands.open(dir.resolve("s0"), StorageConfig.defaults())) {
            assertThat(l.importCar(car).roots()).containsExactly(root);
        }

        List<Node> nodes = new ArrayList<>();
        nodes.add(storage(dir.resolve("s0"), trust, null));
        String boot0 = nodes.get(0).info().path("addresses").get(0).asText();
        for (int i = 1; i < STORAGE; i++) {
            nodes.add(storage(dir.resolve("s" + i), trust, boot0));
        }
        Node importer = nodes.get(0);

        Path repl = dir.resolve("replication.yaml");
        Files.writeString(
                repl, "name: epoch-0-1\nroots:\n  - " + root + "\nfactor: " + FACTOR + "\n");
        assertThat(
                        run(
                                "net",
                                "subscribe",
                                repl.toString(),
                                "--node",
                                importer.lake().toString(),
                                "--key",
                                userKey.toString()))
                .contains("1 root at factor 3");
        await("factor 3", 90, () -> holders(nodes, root).size() == FACTOR);

        // The importer, every storage node's only bootstrap, killed without warning: the three
        // others learned each other through the DHT and must stay connected without it, see the
        // loss and repair to the factor again.
        Node victim = importer;
        victim.process().destroyForcibly(); // SIGKILL
        assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        // Production timings: a replacement not asked by a holder waits by its rank (up to a
        // replicateRetry, 1 min), and a fetch from the killed node is retried a minute later; so
        // repair may take a few minutes on a loaded machine. On a timeout, each node's view is
        // said.
        await(
                "factor 3 again on the three storage nodes left",
                240,
                () -> holders(nodes, root).size() == FACTOR,
                () -> views(nodes, root));
        assertThat(holders(nodes, root)).doesNotContain(victim);
        // each survivor found the other two without the bootstrap: all three are its servers
        List<Node> survivors = nodes.stream().filter(n -> n != victim).toList();
        List<String> survivorIds =
                survivors.stream().map(n -> n.info().path("peer_id").asText()).toList();
        for (Node n : survivors) {
            assertThat(servers(n, root))
                    .as("servers in %s's view", n.lake().getFileName())
                    .containsExactlyInAnyOrderElementsOf(survivorIds);
        }

        // a gateway-only node, bootstrapped from a surviving node that was never handed the CAR
        Node survivor = nodes.stream().filter(n -> n != victim).findFirst().orElseThrow();
        String boot = survivor.info().path("addresses").get(0).asText();
        Node gateway =
                start(
                        dir.resolve("gw"),
                        List.of(
                                "--role",
                                "gateway",
                                "--listen",
                                "/ip4/127.0.0.1/tcp/0",
                                "--gateway-port",
                                "0",
                                "--bootstrap",
                                boot));
        String base = gateway.info().path("gateway").asText();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<byte[]> raw =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/ipfs/" + root + "?format=raw"))
                                .timeout(Duration.ofSeconds(60))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.statusCode()).as(new String(raw.body())).isEqualTo(200);
        assertThat(raw.body()).isEqualTo(archive.get(root));

        HttpResponse<byte[]> dag =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/ipfs/" + root + "?format=car"))
                                .timeout(Duration.ofSeconds(90))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(dag.statusCode()).as(new String(dag.body())).isEqualTo(200);
        // CarReader re-hashes every block against its CID while reading
        Map<Cid, byte[]> served = blocks(new ByteArrayInputStream(dag.body()));
        assertThat(served.keySet()).containsExactlyInAnyOrderElementsOf(archive.keySet());
        for (Map.Entry<Cid, byte[]> e : served.entrySet()) {
            assertThat(e.getValue()).as("block %s", e.getKey()).isEqualTo(archive.get(e.getKey()));
        }
        // every storage node still running kept the subscription's factor
        assertThat(holders(nodes, root)).hasSize(FACTOR);
    }
}
