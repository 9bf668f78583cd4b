package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.MeshNodeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ipdm node} as a picocli command: help, flags, config file, status and identity. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NodeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CommandLine cli() {
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    private int run(String... args) {
        return cli().execute(args);
    }

    /**
     * A node started on a thread; {@link #close} stops it as SIGTERM would and returns its code.
     */
    private static final class Running implements AutoCloseable {
        final CompletableFuture<Integer> exit;
        final NodeCommand command;
        final StringWriter err = new StringWriter();

        Running(CommandLine cl, String... args) {
            cl.setErr(new PrintWriter(err, true));
            command = cl.getSubcommands().get("node").getCommand();
            exit = CompletableFuture.supplyAsync(() -> cl.execute(args));
        }

        @Override
        public void close() throws Exception {
            command.stop.countDown();
            assertThat(exit.get(1, TimeUnit.MINUTES)).as(err::toString).isZero();
        }
    }

    private static JsonNode awaitInfo(Path lake, Running n) throws Exception {
        Path info = lake.resolve("node.json");
        for (int i = 0; i < 600 && !Files.exists(info); i++) {
            if (n.exit.isDone()) {
                throw new AssertionError(
                        "the node exited early with " + n.exit.get() + ": " + n.err);
            }
            Thread.sleep(100);
        }
        return JSON.readTree(Files.readString(info));
    }

    @Test
    void helpListsEveryOption() {
        assertThat(run("node", "--help")).isZero();
        assertThat(out.toString())
                .contains("--role=ROLE[,ROLE...]")
                .contains("--lake=DIR")
                .contains("--listen=MULTIADDR")
                .contains("--bootstrap=MULTIADDR/p2p/ID")
                .contains("--gateway-port=")
                .contains("--admin-port=")
                .contains("--provide=")
                .contains("--read-timeout=")
                .contains("--storage=KEY=VALUE")
                .contains("--topic=TOPIC")
                .contains("--publish=TOPIC=TEXT")
                .contains("--config=FILE")
                .contains("--repair-interval=DURATION")
                .contains("--challenge-interval=DURATION")
                .contains("--gc-grace=DURATION")
                .contains("--domain=NAME")
                .contains("--trust=FILE")
                .contains("-q, --quiet")
                .contains("-v, --verbose")
                .contains("storage     serve blocks over Bitswap")
                .contains("status");
        assertThat(run("node", "status", "--help")).isZero();
        assertThat(out.toString()).contains("--json").contains("--admin=URL");
    }

    @Test
    void badFlagsAreRefusedWithExitTwo(@TempDir Path dir) {
        assertThat(run("node", "--frobnicate", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown options: '--frobnicate'");
        assertThat(run("node", "--listen", "ip4/x")).isEqualTo(2);
        assertThat(err.toString()).contains("'ip4/x' is not a multiaddr");
        assertThat(run("node", "--role", "storage,miner")).isEqualTo(2);
        assertThat(err.toString())
                .contains("unknown role 'miner'; roles: storage, gateway, processing");
        assertThat(run("node", "--lake", dir.toString(), "--bootstrap", "/ip4/127.0.0.1/tcp/1"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("bootstrap address /ip4/127.0.0.1/tcp/1 needs a /p2p/<peer id> part");
        assertThat(run("node", "--lake", dir.toString(), "--storage", "frob=1")).isEqualTo(2);
        assertThat(run("node", "--lake", dir.toString(), "--domain", "Bad Name")).isEqualTo(2);
        assertThat(err.toString())
                .contains("ipdm node: --domain: domain name 'Bad Name' must be 1-64 of a-z");
    }

    @Test
    void aBadTrustFileIsRefusedAtItsPosition(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.yaml");
        Files.writeString(keys, "keys:\n  - name: a\n    peer_id: nope\n");
        assertThat(run("node", "--lake", dir.toString(), "--trust", keys.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains("ipdm node: " + keys + ":3:14: peer_id: 'nope' is not a peer id (");
        Path cfg = dir.resolve("node.yaml");
        Files.writeString(cfg, "trust: " + dir.resolve("none.yaml") + "\n");
        assertThat(run("node", "--lake", dir.toString(), "--config", cfg.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains(dir.resolve("none.yaml") + ": no such trust file; write one as");
    }

    @Test
    void durabilityKeysMapOntoTheNodeConfigAndBadValuesAreRefused(@TempDir Path dir)
            throws Exception {
        Path cfg = dir.resolve("node.yaml");
        Files.writeString(
                cfg,
                "lake: "
                        + dir
                        + "\nrepair-interval: 5s\nchallenge-interval: 2m\ngc-grace: 0s\ndomain: eu-1\n");
        NodeCommand cmd = new NodeCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.parseArgs("--config", cfg.toString(), "--challenge-interval", "90s");
        io.ipdm.lakes.node.NodeConfig nc = cmd.withConfigFile().nodeConfig();
        assertThat(nc.durability())
                .isEqualTo(
                        new io.ipdm.lakes.node.NodeDurability(
                                java.time.Duration.ofSeconds(5),
                                java.time.Duration.ofSeconds(90),
                                java.time.Duration.ZERO,
                                "eu-1"));
        assertThat(run("node", "--lake", dir.toString(), "--repair-interval", "0s")).isEqualTo(2);
        assertThat(err.toString())
                .contains("'0s' is not a positive duration: give one like 30s, 2m or 1h");
        assertThat(run("node", "--lake", dir.toString(), "--gc-grace", "-1s")).isEqualTo(2);
        assertThat(err.toString()).contains("'-1s' is negative: give 0s or a duration like 10m");
        assertThat(run("node", "--lake", dir.toString(), "--challenge-interval", "soon"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
        assertThat(run("node", "--lake", dir.toString(), "--domain", "d".repeat(65))).isEqualTo(2);
        assertThat(err.toString()).contains("--domain: domain name 'ddd");
    }

    @Test
    void routingLimitsMapOntoTheNodeConfigAndBadOnesAreRefused(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("node.yaml");
        Files.writeString(
                cfg,
                "lake: " + dir + "\nrouting-limit:\n  json-results: 20\n  lookup-timeout: 30s\n");
        NodeCommand cmd = new NodeCommand();
        new CommandLine(cmd)
                .parseArgs("--config", cfg.toString(), "--routing-limit", "concurrent-lookups=2");
        io.ipdm.lakes.node.NodeConfig nc = cmd.withConfigFile().nodeConfig();
        assertThat(nc.routingLimits())
                .isEqualTo(
                        new io.ipdm.lakes.gateway.RoutingV1.Limits(
                                100, 1000, java.time.Duration.ofSeconds(10), 2));
        NodeCommand fromFile = new NodeCommand();
        new CommandLine(fromFile).parseArgs("--config", cfg.toString());
        assertThat(fromFile.withConfigFile().nodeConfig().routingLimits())
                .isEqualTo(
                        new io.ipdm.lakes.gateway.RoutingV1.Limits(
                                20, 1000, java.time.Duration.ofSeconds(30), 4));

        assertThat(run("node", "--lake", dir.toString(), "--routing-limit", "results=5"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "ipdm node: routing-limit: unknown key 'results'; keys: concurrent-lookups,"
                                + " json-results, lookup-timeout, stream-results");
        assertThat(run("node", "--lake", dir.toString(), "--routing-limit", "json-results=0"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("ipdm node: routing-limit json-results=0: give 1 to 10000");
        assertThat(run("node", "--lake", dir.toString(), "--routing-limit", "lookup-timeout=1h"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "ipdm node: routing-limit lookup-timeout=1h: give a duration from 100ms to"
                                + " 5m, e.g. 10s, 500ms, 2m");
        assertThat(
                        run(
                                "node",
                                "--lake",
                                dir.toString(),
                                "--role",
                                "storage",
                                "--routing-limit",
                                "json-results=5"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("ipdm node: --routing-limit only applies to the gateway role");
    }

    @Test
    void configFileErrorsNameFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("node.yaml");
        Files.writeString(cfg, "lake: " + dir + "\nfrobnicate: 3\n");
        assertThat(run("node", "--config", cfg.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains(cfg + ":2:1: unknown key 'frobnicate'; keys: admin-port, bootstrap,");
        Files.writeString(cfg, "gateway-port: eighty\n");
        assertThat(run("node", "--config", cfg.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains(cfg + ":1:15: gateway-port: Invalid value for option '--gateway-port'");
        assertThat(run("node", "--config", dir.resolve("missing.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no such config file: ");
    }

    @Test
    void runsFromConfigFileKeepsItsIdentityAndAnswersStatus(@TempDir Path dir) throws Exception {
        Path lake = dir.resolve("lake");
        Path cfg = dir.resolve("node.yaml");
        // the file says gateway-port 1 (not bindable); the flag overrides it
        Files.writeString(
                cfg,
                "role: storage,gateway\n"
                        + "lake: "
                        + lake
                        + "\n"
                        + "listen:\n  - /ip4/127.0.0.1/tcp/0\n"
                        + "gateway-port: 1\n"
                        + "storage:\n  hot-bytes: 1048576\n");
        String peerId;
        String gateway;
        CommandLine cl = cli();
        try (Running n =
                new Running(
                        cl,
                        "node",
                        "-v",
                        "--metrics-interval",
                        "1",
                        "--config",
                        cfg.toString(),
                        "--gateway-port",
                        "0")) {
            JsonNode info = awaitInfo(lake, n);
            peerId = info.path("peer_id").asText();
            gateway = info.path("gateway").asText();
            assertThat(peerId).startsWith("12D3KooW");
            assertThat(gateway).startsWith("http://127.0.0.1:").doesNotEndWith(":1");

            StringWriter statusOut = new StringWriter();
            CommandLine st = IpdmCli.commandLine();
            st.setOut(new PrintWriter(statusOut, true));
            st.setErr(new PrintWriter(err, true));
            assertThat(st.execute("node", "status", "--lake", lake.toString())).isZero();
            assertThat(statusOut.toString())
                    .contains("peer id           " + peerId)
                    .contains("roles             storage,gateway")
                    .contains("routing table     ")
                    .contains("stored            0 blocks, 0 bytes, 0 pinned roots")
                    .contains("pending wants     0")
                    .contains(
                            "signed records    0 held, 0 published; gossip 0 accepted, 0 forged or"
                                    + " malformed, 0 replays; sync ")
                    .contains(" 0 refused (not trusted; not asked for again)");
            statusOut.getBuffer().setLength(0);
            assertThat(st.execute("node", "status", "--lake", lake.toString(), "--json")).isZero();
            JsonNode s = JSON.readTree(statusOut.toString());
            assertThat(s.path("peer_id").asText()).isEqualTo(peerId);
            assertThat(s.path("gateway").asText()).isEqualTo(gateway);
            assertThat(s.path("records").path("file").asText())
                    .isEqualTo(lake.resolve("records/records.log").toString());

            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            gateway
                                                                    + "/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy?format=raw"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            // -v: a status line every --metrics-interval seconds on stderr
            for (int i = 0; i < 100 && !n.err.toString().contains("routing_table="); i++) {
                Thread.sleep(100);
            }
            assertThat(n.err.toString())
                    .contains("peers=0 routing_table=0 blocks=0 bytes=0 wants=0");
        }
        assertThat(out.toString()).contains("peer id   " + peerId).contains("gateway   " + gateway);
        assertThat(lake.resolve("node.json")).doesNotExist();
        assertThat(lake.resolve("node.key")).exists();

        try (Running again =
                new Running(
                        cli(),
                        "node",
                        "-q",
                        "--lake",
                        lake.toString(),
                        "--role",
                        "storage",
                        "--listen",
                        "/ip4/127.0.0.1/tcp/0")) {
            JsonNode info = awaitInfo(lake, again);
            assertThat(info.path("peer_id").asText()).as("same identity").isEqualTo(peerId);
            assertThat(info.has("gateway")).as("no gateway without the role").isFalse();
        }
        // -q: the second run printed no banner
        assertThat(out.toString().split("peer id   ", -1)).hasSize(2);
        assertThat(run("node", "status", "--lake", lake.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no node is running on " + lake);
    }

    /**
     * {@code ipdm node --bootstrap B --topic t --publish t=TEXT}: the message reaches the bootstrap
     * peer B (it used to be published before the connection to B and B's subscription existed).
     */
    @Test
    void publishFromTheCommandLineReachesTheBootstrapPeer(@TempDir Path dir) throws Exception {
        Multiaddr any = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
        MeshNodeConfig bCfg =
                MeshNodeConfig.of(List.of(any), List.of(), List.of("t"))
                        .withGossip(GossipConfig.defaults().withHeartbeat(Duration.ofMillis(200)));
        try (MeshNode b = MeshNode.start(bCfg)) {
            List<String> got = new CopyOnWriteArrayList<>();
            b.subscribe("t", (m, from) -> got.add(new String(m.data(), StandardCharsets.UTF_8)));
            try (Running n =
                    new Running(
                            cli(),
                            "node",
                            "--lake",
                            dir.toString(),
                            "--role",
                            "storage",
                            "--listen",
                            any.toString(),
                            "--bootstrap",
                            b.addresses().get(0).toString(),
                            "--topic",
                            "t",
                            "--publish",
                            "t=hello from the cli")) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(got)
                        .as("received by the bootstrap peer")
                        .containsExactly("hello from the cli");
                assertThat(b.metrics().messagesReceived()).isEqualTo(1);
            }
        }
    }
}
