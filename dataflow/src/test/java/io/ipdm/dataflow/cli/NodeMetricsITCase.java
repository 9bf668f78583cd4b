package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.dataflow.testing.NodeProcess;
import io.ipdm.lakes.cli.LakeCommands;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.multiformats.Cid;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code ipdm node} processes on loopback with Prometheus endpoints (one set by the node YAML
 * key {@code metrics-port}, one by the flag): a file put into the first node's lake is read through
 * the second node's gateway (DHT, then Bitswap), and the scrapes show it: peers, the routing table,
 * the lake's blocks and bytes, Bitswap blocks sent on one side and received on the other, gossipsub
 * mesh per topic.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class NodeMetricsITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})?) (\\S+)$");
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private Process start(Path lake, String... extra) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("--listen", "/ip4/127.0.0.1/tcp/0", "--topic", "blocks"));
        args.addAll(List.of(extra));
        Process p = NodeProcess.start(lake, args);
        processes.add(p);
        return p;
    }

    /** The node's info file once written, and its metrics URL from the banner. */
    private static String[] await(Path lake, Process p) throws Exception {
        Path info = lake.resolve("node.json");
        Path out = lake.resolve("stdout.txt");
        Pattern url = Pattern.compile("metrics   (http://\\S+) \\(Prometheus\\)");
        for (int i = 0; i < 1200; i++) {
            NodeProcess.checkAlive(lake, p);
            if (Files.exists(info)) {
                Matcher m = url.matcher(Files.readString(out));
                if (m.find()) {
                    JsonNode n = JSON.readTree(Files.readString(info));
                    return new String[] {
                        n.path("addresses").get(0).asText(), m.group(1), n.path("gateway").asText()
                    };
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node on " + lake + " printed no metrics URL");
    }

    private Map<String, Double> scrape(String url) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/plain; version=0.0.4");
        Map<String, Double> m = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            assertThat(s.matches()).as("sample line %s", line).isTrue();
            m.put(s.group(1), Double.parseDouble(s.group(3)));
        }
        return m;
    }

    @Test
    void scrapesShowPeersDhtLakeAndBitswapTraffic(@TempDir Path dir) throws Exception {
        byte[] content = new byte[2 * LakeCommands.CHUNK + 777];
        new Random(5).nextBytes(content);
        Path file = dir.resolve("file.bin");
        Files.write(file, content);
        Path lake0 = dir.resolve("node0");
        Cid root;
        try (LakeCommands lake = LakeCommands.open(lake0, StorageConfig.defaults())) {
            root = lake.put(file);
        }
        Path cfg = dir.resolve("node0.yaml");
        Files.writeString(cfg, "metrics-port: 0\nmetrics-host: 127.0.0.1\nrole: storage\n");
        String[] a = await(lake0, start(lake0, "--config", cfg.toString()));
        Path lake1 = dir.resolve("node1");
        String[] b =
                await(
                        lake1,
                        start(
                                lake1,
                                "--role",
                                "gateway",
                                "--gateway-port",
                                "0",
                                "--bootstrap",
                                a[0],
                                "--metrics-port",
                                "0",
                                "--metrics-host",
                                "127.0.0.1"));
        assertThat(a[1]).startsWith("http://127.0.0.1:");

        Map<String, Double> before = scrape(b[1]);
        assertThat(before).containsEntry("ipdm_node_bitswap_blocks_received_total", 0.0);

        HttpResponse<byte[]> car =
                http.send(
                        HttpRequest.newBuilder(URI.create(b[2] + "/ipfs/" + root + "?format=car"))
                                .timeout(Duration.ofMinutes(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(car.statusCode()).as(new String(car.body())).isEqualTo(200);

        Map<String, Double> server = scrape(a[1]);
        Map<String, Double> client = scrape(b[1]);
        // four blocks: the root and three chunks
        assertThat(server.get("ipdm_node_lake_blocks")).isEqualTo(4.0);
        assertThat(server.get("ipdm_node_lake_bytes")).isGreaterThan((double) content.length);
        assertThat(server.get("ipdm_node_lake_pinned_roots")).isEqualTo(1.0);
        assertThat(server.get("ipdm_node_bitswap_blocks_sent_total")).isEqualTo(4.0);
        assertThat(server.get("ipdm_node_bitswap_bytes_sent_total"))
                .isGreaterThan((double) content.length);
        assertThat(client.get("ipdm_node_bitswap_blocks_received_total")).isEqualTo(4.0);
        assertThat(client.get("ipdm_node_lake_network_reads_total")).isGreaterThanOrEqualTo(4.0);
        assertThat(client.get("ipdm_node_bitswap_bans_total")).isZero();
        // the gateway is a DHT client: it keeps the storage node in its routing table and asks
        // it; a server keeps no client in its table
        assertThat(client.get("ipdm_node_dht_routing_table_peers")).isEqualTo(1.0);
        assertThat(client.get("ipdm_node_dht_connected_contacts")).isEqualTo(1.0);
        assertThat(client.get("ipdm_node_dht_requests_out_total")).isPositive();
        assertThat(server.get("ipdm_node_dht_requests_in_total")).isPositive();
        for (Map<String, Double> m : List.of(server, client)) {
            assertThat(m.get("ipdm_node_peers")).isEqualTo(1.0);
            assertThat(m).containsKey("ipdm_node_gossipsub_mesh_peers{topic=\"blocks\"}");
            assertThat(m).containsKey("ipdm_node_lake_tier_hits_total{tier=\"warm\"}");
        }
        // the storage node announced its pinned root in the DHT
        assertThat(server.get("ipdm_node_lake_announced")).isEqualTo(1.0);
    }
}
