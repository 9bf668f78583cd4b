package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.dataflow.testing.NodeProcess;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.cli.LakeCommands;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.mesh.testutils.JsPeer;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Five {@code ipdm node} processes and two Helia nodes on loopback. Each IPDM node is bootstrapped
 * from the one started before it (a chain, so most nodes learn of the others only through the DHT);
 * the last one also from Helia B. A multi-block file put into the first node's lake is readable
 * through the gateway of every other node, as a CAR of the whole DAG and as raw blocks; Helia A
 * fetches it from the second node over Bitswap; a file only Helia B holds is readable through the
 * last node's gateway. Every node answers {@code ipdm node status}; SIGTERM stops each cleanly. The
 * Helia part is skipped with a message where node or the npm modules are missing.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class NodeNetworkITCase {
    private static final int NODES = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Process> processes = new ArrayList<>();
    private final List<JsPeer> helias = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (JsPeer h : helias) {
            h.close();
        }
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process start(Path lake, String... extra) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--role",
                                "storage,gateway",
                                "--listen",
                                "/ip4/127.0.0.1/tcp/0",
                                "--gateway-port",
                                "0",
                                "--read-timeout",
                                "60s"));
        args.addAll(List.of(extra));
        Process p = NodeProcess.start(lake, args);
        processes.add(p);
        return p;
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aDagPutOnOneNodeIsReadableThroughTheGatewayOfEveryOther(@TempDir Path dir)
            throws Exception {
        byte[] content = new byte[3 * LakeCommands.CHUNK + 12345];
        new Random(11).nextBytes(content);
        Path file = dir.resolve("file.bin");
        Files.write(file, content);
        Path first = dir.resolve("node0");
        Cid root;
        Map<Cid, byte[]> dag = new LinkedHashMap<>();
        try (LakeCommands lake = LakeCommands.open(first, StorageConfig.defaults())) {
            root = lake.put(file);
            Links.walk(lake.store(), root, b -> dag.put(b.cid(), b.data()));
        }
        assertThat(dag).hasSize(5);

        JsPeer heliaA = null;
        JsPeer heliaB = null;
        JsonNode heliaFile = null;
        if (JsPeer.available(JsPeer.Service.HELIA)) {
            heliaA = JsPeer.start(JsPeer.Service.HELIA);
            helias.add(heliaA);
            heliaB = JsPeer.start(JsPeer.Service.HELIA);
            helias.add(heliaB);
            heliaFile = heliaB.call("addFile", Duration.ofSeconds(60), "seed", 7, "size", 3 << 20);
        } else {
            System.out.println(
                    "Helia part skipped: no Helia in "
                            + JsPeer.jsDir().toAbsolutePath()
                            + " (run npm ci there, as .ci/setup.d/mesh.sh does)");
        }

        long t0 = System.currentTimeMillis();
        List<Path> lakes = new ArrayList<>();
        List<JsonNode> infos = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Path lake = dir.resolve("node" + i);
            List<String> extra = new ArrayList<>();
            if (i > 0) {
                extra.addAll(
                        List.of("--bootstrap", infos.get(i - 1).path("addresses").get(0).asText()));
            }
            if (i == NODES - 1 && heliaB != null) {
                extra.addAll(List.of("--bootstrap", heliaB.addr().toString()));
            }
            Process p = start(lake, extra.toArray(String[]::new));
            lakes.add(lake);
            infos.add(NodeProcess.awaitInfo(lake, p));
        }

        System.out.printf("%d nodes up after %d ms%n", NODES, System.currentTimeMillis() - t0);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 1; i < NODES; i++) {
            String gateway = infos.get(i).path("gateway").asText();
            HttpResponse<byte[]> car =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(gateway + "/ipfs/" + root + "?format=car"))
                                    .timeout(Duration.ofMinutes(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(car.statusCode())
                    .as("node %d: %s", i, new String(car.body()))
                    .isEqualTo(200);
            Map<Cid, byte[]> got = new LinkedHashMap<>();
            try (CarReader r = CarReader.open(new ByteArrayInputStream(car.body()))) {
                assertThat(r.header().roots()).containsExactly(root);
                for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                    Block b = s.block();
                    got.put(b.cid(), b.data());
                }
            }
            assertThat(got.keySet()).as("node %d", i).containsExactlyElementsOf(dag.keySet());
            for (Map.Entry<Cid, byte[]> e : dag.entrySet()) {
                assertThat(got.get(e.getKey())).isEqualTo(e.getValue());
            }
            Cid leaf = new ArrayList<>(dag.keySet()).get(2);
            HttpResponse<byte[]> raw =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(gateway + "/ipfs/" + leaf + "?format=raw"))
                                    .timeout(Duration.ofMinutes(1))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.body()).isEqualTo(dag.get(leaf));
            System.out.printf("node %d read after %d ms%n", i, System.currentTimeMillis() - t0);
        }

        if (heliaA != null) {
            // Helia fetches the DAG from node 1, which itself read it over the network
            heliaA.call(
                    "dial",
                    Duration.ofSeconds(30),
                    "addr",
                    infos.get(1).path("addresses").get(0).asText());
            JsonNode cat =
                    heliaA.call(
                            "cat",
                            Duration.ofSeconds(120),
                            "cid",
                            root.toString(),
                            "timeoutMs",
                            110_000);
            assertThat(cat.path("size").asLong()).isEqualTo(content.length);
            assertThat(cat.path("sha256").asText()).isEqualTo(sha256(content));

            // a file only Helia B holds, through the gateway of the node bootstrapped from it
            String gateway = infos.get(NODES - 1).path("gateway").asText();
            String cid = heliaFile.path("cid").asText();
            HttpResponse<byte[]> car =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(gateway + "/ipfs/" + cid + "?format=car"))
                                    .timeout(Duration.ofMinutes(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(car.statusCode()).as(new String(car.body())).isEqualTo(200);
            Map<Cid, Block> blocks = new LinkedHashMap<>();
            try (CarReader r = CarReader.open(new ByteArrayInputStream(car.body()))) {
                for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                    blocks.put(s.block().cid(), s.block());
                }
            }
            ByteArrayOutputStream fromHelia = new ByteArrayOutputStream();
            UnixFsFile.write(blocks::get, Cid.parse(cid), fromHelia);
            assertThat(fromHelia.size()).isEqualTo(heliaFile.path("size").asInt());
            assertThat(sha256(fromHelia.toByteArray()))
                    .isEqualTo(heliaFile.path("sha256").asText());
        }

        for (int i = 0; i < NODES; i++) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = IpdmCli.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            assertThat(cl.execute("node", "status", "--lake", lakes.get(i).toString(), "--json"))
                    .as(err::toString)
                    .isZero();
            JsonNode s = JSON.readTree(out.toString());
            assertThat(s.path("peer_id").asText()).isEqualTo(infos.get(i).path("peer_id").asText());
            assertThat(s.path("peers").size()).as("node %d peers", i).isPositive();
            assertThat(s.path("routing_table_size").asInt()).as("node %d routing", i).isPositive();
            assertThat(s.path("blocks").asLong()).as("node %d blocks", i).isGreaterThanOrEqualTo(5);
        }

        for (int i = 0; i < NODES; i++) {
            Process p = processes.get(i);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node %d stops on SIGTERM", i).isTrue();
            assertThat(lakes.get(i).resolve("node.json"))
                    .as("node %d closed cleanly", i)
                    .doesNotExist();
        }
    }

    /**
     * What an IPFS user hits first, with Helia running the Kademlia DHT and connected to node A
     * only: a file held by node B (bootstrapped from A, never dialed by Helia) is found through B's
     * provider record and fetched over Bitswap; a file only Helia holds and announced in the DHT is
     * found by B through Helia's provider record and read through B's gateway.
     */
    @Test
    void heliaAndIpdmFindEachOthersContentThroughTheDht(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                JsPeer.available(JsPeer.Service.HELIA, JsPeer.Service.KAD),
                "Helia with kad-dht not installed in "
                        + JsPeer.jsDir().toAbsolutePath()
                        + "; run .ci/setup.d/mesh.sh");
        byte[] content = new byte[2 * LakeCommands.CHUNK + 777];
        new Random(5).nextBytes(content);
        Path file = dir.resolve("file.bin");
        Files.write(file, content);
        Path lakeA = dir.resolve("a");
        Path lakeB = dir.resolve("b");
        Cid root;
        try (LakeCommands lake = LakeCommands.open(lakeB, StorageConfig.defaults())) {
            root = lake.put(file);
        }
        JsonNode a = NodeProcess.awaitInfo(lakeA, start(lakeA));
        String addrA = a.path("addresses").get(0).asText();
        JsonNode b = NodeProcess.awaitInfo(lakeB, start(lakeB, "--bootstrap", addrA));
        String idB = b.path("peer_id").asText();

        JsPeer helia = JsPeer.start(JsPeer.Service.HELIA, JsPeer.Service.KAD);
        helias.add(helia);
        Duration t = Duration.ofSeconds(60);
        helia.call("dial", t, "addr", addrA);
        // Helia's DHT takes a peer into its table after identify lists /ipfs/kad/1.0.0
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (helia.call("routing-table", t).path("size").asInt() < 1
                && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertThat(helia.call("connections", t).path("peers").toString()).doesNotContain(idB);

        // ipdm -> Helia: B's provider record, found through A
        JsonNode providers = null;
        String key = java.util.Base64.getEncoder().encodeToString(root.multihash().toBytes());
        for (int i = 0; i < 100; i++) {
            providers =
                    helia.call("find-providers", t, "key", key, "count", 1, "timeoutMs", 10_000);
            if (!providers.path("providers").isEmpty()) {
                break;
            }
            Thread.sleep(300);
        }
        assertThat(providers.path("providers").get(0).path("id").asText()).isEqualTo(idB);
        JsonNode cat = helia.call("cat", Duration.ofSeconds(120), "cid", root.toString());
        assertThat(cat.path("size").asLong()).isEqualTo(content.length);
        assertThat(cat.path("sha256").asText()).isEqualTo(sha256(content));
        assertThat(helia.call("connections", t).path("peers").toString()).contains(idB);

        // Helia -> ipdm: a file only Helia holds, announced in the DHT, read through B's gateway
        JsonNode added = helia.call("addFile", t, "seed", 21, "size", 2_500_000);
        helia.call("provideCid", t, "cid", added.path("cid").asText());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<byte[]> car =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                b.path("gateway").asText()
                                                        + "/ipfs/"
                                                        + added.path("cid").asText()
                                                        + "?format=car"))
                                .timeout(Duration.ofMinutes(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(car.statusCode()).as(new String(car.body())).isEqualTo(200);
        Map<Cid, Block> blocks = new LinkedHashMap<>();
        try (CarReader r = CarReader.open(new ByteArrayInputStream(car.body()))) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                blocks.put(s.block().cid(), s.block());
            }
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        UnixFsFile.write(blocks::get, Cid.parse(added.path("cid").asText()), got);
        assertThat(sha256(got.toByteArray())).isEqualTo(added.path("sha256").asText());
    }
}
