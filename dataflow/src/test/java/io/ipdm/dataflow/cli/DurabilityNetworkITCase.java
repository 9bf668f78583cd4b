package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.dataflow.testing.NodeProcess;
import io.ipdm.lakes.cli.LakeCommands;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.node.StoreFaults;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.KeyFile;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import io.ipdm.multiformats.Cid;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Seven {@code ipdm node --role storage} processes on loopback keep a real CAR (go-car's
 * simple-unixfs.car, 22 dag-pb blocks) at factor 3 through {@code ipdm net subscribe}: two holders
 * killed with SIGKILL are replaced, and a node started with the silent-delete fault-injection hook
 * ({@link StoreFaults}) is caught by integrity challenges, ranked down and its replica moved. Every
 * block on every final holder is re-hashed against its CID after the nodes stop. Skipped with a
 * message when ../shared/data is absent.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DurabilityNetworkITCase {
    private static final int NODES = 7;
    private static final int FACTOR = 3;
    private static final int CAR_BLOCKS = 22;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Process> processes = new ArrayList<>();
    private Path car;

    @BeforeEach
    void findCar() {
        car =
                Path.of(
                        System.getProperty("ipdm.shared.data", "../../shared/data"),
                        "ipld/go-car/cmd-testdata/simple-unixfs.car");
        Assumptions.assumeTrue(
                Files.exists(car),
                "go-car simple-unixfs.car not found under ../shared/data; skipping");
    }

    @AfterEach
    void stopAll(org.junit.jupiter.api.TestInfo test) throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        // the nodes' logs outlive the temporary directory, for reading after a failure
        Path keep =
                Path.of(
                        "target",
                        "durability-itcase",
                        test.getTestMethod().orElseThrow().getName());
        Files.createDirectories(keep);
        for (Path lake : lakes) {
            Path log = lake.resolve("node.log");
            if (Files.exists(log)) {
                Files.copy(
                        log,
                        keep.resolve(lake.getFileName() + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private final List<Path> lakes = new ArrayList<>();

    /** One node: its lake, identity and process. */
    private record Node(Path lake, PeerId peer, Process process) {}

    private Node start(Path lake, Ed25519KeyPair key, Path trust, String bootstrap, String fault)
            throws Exception {
        Files.createDirectories(lake);
        lakes.add(lake);
        KeyFile.save(key, lake.resolve("node.key"));
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--role",
                                "storage",
                                "--listen",
                                "/ip4/127.0.0.1/tcp/0",
                                "--repair-interval",
                                "2s",
                                "--challenge-interval",
                                "2s",
                                "--gc-grace",
                                "2s",
                                "--trust",
                                trust.toString()));
        if (bootstrap != null) {
            args.addAll(List.of("--bootstrap", bootstrap));
        }
        ProcessBuilder pb =
                NodeProcess.command(
                        lake,
                        List.of(
                                "-Xmx192m",
                                // each node logs at INFO into its lake (kept in target/ below)
                                "-Dlog4j2.configurationFile="
                                        + Path.of("../bin/log4j2-cli.properties").toAbsolutePath(),
                                "-Dipdm.log.file=" + lake.resolve("node.log"),
                                "-Dipdm.log.level=INFO"),
                        args);
        if (fault != null) {
            pb.environment().put(StoreFaults.ENV, fault);
        }
        Process p = pb.start();
        processes.add(p);
        NodeProcess.awaitInfo(lake, p);
        return new Node(lake, key.peerId(), p);
    }

    /** Runs the CLI in this JVM; returns exit code, stdout and stderr. */
    private record Run(int code, String out, String err) {}

    private static Run ipdm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static JsonNode json(String... args) throws Exception {
        Run r = ipdm(args);
        assertThat(r.code()).as("ipdm %s: %s", String.join(" ", args), r.err()).isZero();
        return JSON.readTree(r.out());
    }

    /** The node's own view: it holds the whole DAG and is one of the root's active servers. */
    private static boolean activeHolder(Node n, Cid root) {
        try {
            JsonNode s =
                    json("net", "status", root.toString(), "--node", n.lake().toString(), "--json");
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

    private static List<Node> holders(List<Node> nodes, Cid root) {
        return nodes.stream().filter(n -> n.process().isAlive() && activeHolder(n, root)).toList();
    }

    private static void await(String what, long seconds, BooleanSupplier cond)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(500);
        }
    }

    /** Seven node keys sorted by XOR distance to {@code root}, closest first. */
    private static List<Ed25519KeyPair> keysByDistance(Cid root) {
        KadKey target = KadKey.of(root.multihash().toBytes());
        List<Ed25519KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) (i + 1);
            seed[1] = 42;
            keys.add(Ed25519KeyPair.fromSeed(seed));
        }
        keys.sort(
                Comparator.comparing(
                        k -> KadKey.of(k.peerId()), (a, b) -> target.compareDistance(a, b)));
        return keys;
    }

    private Path writeTrust(Path dir, Ed25519KeyPair user) throws Exception {
        Path trust = dir.resolve("keys.yaml");
        Files.writeString(
                trust,
                "keys:\n  - name: tester\n    peer_id: "
                        + user.peerId()
                        + "\n    roles: [subscribe]\n");
        return trust;
    }

    /** Imports the CAR into {@code lake}; returns its root. */
    private Cid importCar(Path lake) throws Exception {
        try (LakeCommands l = LakeCommands.open(lake, StorageConfig.defaults())) {
            LakeCommands.Imported imp = l.importCar(car);
            assertThat(imp.missingLinks()).isEmpty();
            assertThat(imp.blocks()).isEqualTo(CAR_BLOCKS);
            return imp.roots().get(0);
        }
    }

    private static Cid carRoot(Path car) throws Exception {
        try (var r = io.ipdm.lakes.car.CarReader.open(Files.newInputStream(car))) {
            return r.header().roots().get(0);
        }
    }

    /**
     * Starts the seven nodes: {@code keys.get(i)} for node i, node 0 holding the CAR (and a user
     * pin on it), the others bootstrapped from node 0.
     */
    private List<Node> startNetwork(
            Path dir, List<Ed25519KeyPair> keys, Path trust, Map<Integer, String> faults)
            throws Exception {
        importCar(dir.resolve("node0"));
        List<Node> nodes = new ArrayList<>();
        String boot = null;
        for (int i = 0; i < NODES; i++) {
            Node n = start(dir.resolve("node" + i), keys.get(i), trust, boot, faults.get(i));
            if (i == 0) {
                boot =
                        NodeProcess.awaitInfo(n.lake(), n.process())
                                .path("addresses")
                                .get(0)
                                .asText();
            }
            nodes.add(n);
        }
        return nodes;
    }

    private Path replicationFile(Path dir, Cid root) throws Exception {
        Path f = dir.resolve("replication.yaml");
        Files.writeString(
                f, "name: simple-unixfs\nroots:\n  - " + root + "\nfactor: " + FACTOR + "\n");
        return f;
    }

    /** Stops the nodes (SIGTERM), then re-hashes every block of the DAG in each holder's lake. */
    private void stopAndVerify(List<Node> all, List<Node> holders, Cid root) throws Exception {
        for (Node n : all) {
            if (n.process().isAlive()) {
                n.process().destroy();
                assertThat(n.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }
        for (Node h : holders) {
            Set<Cid> seen = new LinkedHashSet<>();
            try (LakeCommands l = LakeCommands.open(h.lake(), StorageConfig.defaults())) {
                Links.walk(
                        l.store(),
                        root,
                        b -> {
                            assertThat(b.cid().verifies(b.data()))
                                    .as("%s on %s re-hashes to its CID", b.cid(), h.peer())
                                    .isTrue();
                            seen.add(b.cid());
                        });
            }
            assertThat(seen).as("blocks on %s", h.peer()).hasSize(CAR_BLOCKS);
        }
    }

    @Test
    void aRootStaysAtFactorThreeWhenTwoHoldersAreKilled(@TempDir Path dir) throws Exception {
        Cid root = carRoot(car);
        Ed25519KeyPair user = Ed25519KeyPair.generate();
        Path userKey = dir.resolve("user.key");
        KeyFile.save(user, userKey);
        Path trust = writeTrust(dir, user);
        List<Node> nodes = startNetwork(dir, keysByDistance(root), trust, Map.of());
        String node0 = nodes.get(0).lake().toString();
        Path repl = replicationFile(dir, root);

        // an author the nodes do not trust is refused, and says so
        Path strangerKey = dir.resolve("stranger.key");
        KeyFile.save(Ed25519KeyPair.generate(), strangerKey);
        Run refused =
                ipdm(
                        "net",
                        "subscribe",
                        repl.toString(),
                        "--node",
                        node0,
                        "--key",
                        strangerKey.toString());
        assertThat(refused.code()).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(refused.err()).contains("not on this node's allow-list");

        Run sub =
                ipdm(
                        "net",
                        "subscribe",
                        repl.toString(),
                        "--node",
                        node0,
                        "--key",
                        userKey.toString());
        assertThat(sub.code()).as(sub.err()).isZero();
        assertThat(sub.out()).contains("subscribed simple-unixfs", "1 root at factor 3");

        long t0 = System.currentTimeMillis();
        await("factor 3", 180, () -> holders(nodes, root).size() == FACTOR);
        System.out.printf("factor 3 after %d ms%n", System.currentTimeMillis() - t0);

        Run table = ipdm("net", "status", root.toString(), "--node", node0);
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains("root           " + root, "3 wanted");
        // the reserve (4th in the order) is sent no claims: it says so, not "0 holders now"
        Node reserve = nodes.get(FACTOR);
        await(
                "the reserve to track nothing",
                60,
                () -> {
                    try {
                        JsonNode r =
                                json(
                                        "net",
                                        "status",
                                        root.toString(),
                                        "--node",
                                        reserve.lake().toString(),
                                        "--json");
                        return !r.path("hears_claims").asBoolean(true);
                    } catch (Exception e) {
                        return false;
                    }
                });
        Run onReserve = ipdm("net", "status", root.toString(), "--node", reserve.lake().toString());
        assertThat(onReserve.code()).as(onReserve.err()).isZero();
        assertThat(onReserve.out())
                .contains("3 wanted; holders not known here", "note: this node is a reserve")
                .doesNotContain("holders now", "repairing");

        List<Node> victims =
                holders(nodes, root).stream().filter(n -> n != nodes.get(0)).limit(2).toList();
        assertThat(victims).hasSize(2);
        for (Node v : victims) {
            v.process().destroyForcibly(); // SIGKILL
            assertThat(v.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long t1 = System.currentTimeMillis();
        await(
                "factor 3 again without the killed nodes",
                180,
                () -> {
                    List<Node> h = holders(nodes, root);
                    return h.size() == FACTOR && h.stream().noneMatch(victims::contains);
                });
        System.out.printf("repaired %d ms after the kill%n", System.currentTimeMillis() - t1);
        List<Node> holders = holders(nodes, root);
        JsonNode st =
                json(
                        "net",
                        "status",
                        root.toString(),
                        "--node",
                        holders.get(0).lake().toString(),
                        "--json");
        assertThat(st.path("factor").asInt()).isEqualTo(FACTOR);
        stopAndVerify(nodes, holders, root);
    }

    @Test
    void aNodeThatSilentlyDeletesIsCaughtRankedDownAndItsReplicaMoved(@TempDir Path dir)
            throws Exception {
        Cid root = carRoot(car);
        Ed25519KeyPair user = Ed25519KeyPair.generate();
        Path userKey = dir.resolve("user.key");
        KeyFile.save(user, userKey);
        Path trust = writeTrust(dir, user);
        // the key closest to the root goes to the faulty node (node 1), so it is an active server;
        // node 0 (holding the CAR) gets the farthest
        List<Ed25519KeyPair> byDistance = keysByDistance(root);
        List<Ed25519KeyPair> keys = new ArrayList<>();
        keys.add(byDistance.get(NODES - 1));
        keys.add(byDistance.get(0));
        keys.addAll(byDistance.subList(1, NODES - 1));
        Map<Integer, String> faults = new HashMap<>();
        faults.put(1, StoreFaults.SILENT_DELETE);
        List<Node> nodes = startNetwork(dir, keys, trust, faults);
        Node liar = nodes.get(1);
        String node0 = nodes.get(0).lake().toString();

        JsonNode summary = NodeAdmin.ofLake(liar.lake()).get("/durability").json();
        assertThat(summary.path("fault").asText()).isEqualTo(StoreFaults.SILENT_DELETE);

        Run sub =
                ipdm(
                        "net",
                        "subscribe",
                        replicationFile(dir, root).toString(),
                        "--node",
                        node0,
                        "--key",
                        userKey.toString());
        assertThat(sub.code()).as(sub.err()).isZero();

        String liarId = liar.peer().toBase58();
        await(
                "the liar ranked down by a challenger",
                240,
                () ->
                        nodes.stream()
                                .filter(n -> n != liar)
                                .anyMatch(
                                        n -> {
                                            try {
                                                for (JsonNode p :
                                                        json(
                                                                        "net",
                                                                        "ranking",
                                                                        "--node",
                                                                        n.lake().toString(),
                                                                        "--json")
                                                                .path("peers")) {
                                                    if (p.path("peer").asText().equals(liarId)
                                                            && (p.path("low_ranked").asBoolean()
                                                                    || p.path("excluded")
                                                                            .asBoolean())) {
                                                        return p.path("lost").asDouble() > 0;
                                                    }
                                                }
                                                return false;
                                            } catch (Exception e) {
                                                return false;
                                            }
                                        }));
        await(
                "three honest holders",
                240,
                () -> {
                    List<Node> h = holders(nodes, root);
                    return h.stream().filter(n -> n != liar).count() == FACTOR;
                });
        Run ranking =
                ipdm("net", "ranking", "--node", holders(nodes, root).get(0).lake().toString());
        System.out.println(ranking.out());
        List<Node> honest = holders(nodes, root).stream().filter(n -> n != liar).toList();
        stopAndVerify(nodes, honest, root);
    }
}
