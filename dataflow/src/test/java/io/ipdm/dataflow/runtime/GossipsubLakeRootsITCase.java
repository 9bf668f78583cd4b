package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.lakes.window.WindowArchive;
import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.MeshNodeConfig;
import io.ipdm.multiformats.Cid;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compiled job whose gossipsub sink publishes Lava Lakes window roots: a mesh node subscribed to
 * the topic receives one root per window, and each root resolves in the lake to that window's rows.
 */
class GossipsubLakeRootsITCase {
    static final String PIPELINE =
            """
            name: lake-roots
            event_time: {field: block_time, unit: seconds, max_out_of_orderness: 0s}
            sources:
              - id: txs
                kind: solana-synthetic
                table: transactions
                options: {seed: 7, slots: 300, transactions_per_slot: 10}
            stages:
              - {id: non_vote, kind: filter, input: txs, where: "!is_vote"}
              - id: per_minute
                kind: window
                input: non_vote
                key_by: [fee_payer]
                window: {type: tumbling, size: 1m}
                aggregates:
                  - {name: txs, fn: count}
            sinks:
              - id: roots
                kind: gossipsub
                input: per_minute
                options:
                  topic: ipdm/lake-roots
                  bootstrap: "${PEER}"
                  publish: lake_roots
                  lake: "${LAKE}"
                  min_subscribers: 1
            runtime: {parallelism: 2, checkpoint_interval: 1s, state_dir: "${STATE}"}
            """;

    @Test
    void rootsArePublishedAndResolveInTheLake(@TempDir Path tmp) throws Exception {
        String topic = "ipdm/lake-roots";
        Path lake = tmp.resolve("lake");
        List<JsonNode> got = new CopyOnWriteArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (MeshNode subscriber =
                MeshNode.start(
                        MeshNodeConfig.of(
                                        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                                        List.of(),
                                        List.of(topic))
                                .withGossip(
                                        GossipConfig.defaults()
                                                .withHeartbeat(Duration.ofMillis(200))))) {
            subscriber.subscribe(
                    topic,
                    (m, from) -> {
                        try {
                            got.add(json.readTree(m.data()));
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            PipelineRuns.runToCompletion(
                    PIPELINE,
                    "lake-roots.yaml",
                    Map.of(
                            "PEER",
                            subscriber.addresses().get(0).toString(),
                            "LAKE",
                            lake.toString(),
                            "STATE",
                            tmp.resolve("state").toString()),
                    tmp);
            // 300 slots of 400 ms: windows for 2 or 3 minutes of chain time. The sink flushed at
            // end of input, so the roots are on their way.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500);
        }
        assertThat(got).hasSizeBetween(2, 3);
        assertThat(got).extracting(n -> n.get("root_cid").asText()).doesNotHaveDuplicates();
        try (TieredStore store = TieredStore.open(lake, 64L << 20, 1L << 30)) {
            for (JsonNode n : got) {
                WindowArchive.Window w =
                        WindowArchive.read(store, Cid.parse(n.get("root_cid").asText()));
                assertThat(w.windowStart()).isEqualTo(n.get("window_start").asLong());
                assertThat(w.windowEnd()).isEqualTo(n.get("window_end").asLong());
                assertThat((long) w.rows().size()).isEqualTo(n.get("row_count").asLong());
                assertThat(w.fields()).contains("fee_payer", "txs", "window_start");
            }
        }
    }
}
