package io.ipdm.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.dataflow.compile.PipelineCompiler;
import io.ipdm.dataflow.validate.PipelineLoader;
import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.MeshNodeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A compiled job with a gossipsub source reads the JSON messages a Java mesh node publishes on
 * loopback; a filter stage after it sees the declared fields by name.
 */
class GossipsubSourceITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final String PIPELINE =
            """
            name: gossip-in
            sources:
              - id: roots
                kind: gossipsub
                event_time: {field: block_time, unit: seconds}
                options:
                  topic: ipdm/source-it
                  bootstrap: "${PEER}"
                  fields: [slot:long, root_cid:string, block_time:long, fee:double]
            stages:
              - {id: paid, kind: filter, input: roots, where: "fee > 0.0"}
            sinks:
              - {id: out, kind: terminal, input: paid}
            runtime: {parallelism: 1}
            """;

    @Test
    void compiledSourceEmitsThePublishedRows() throws Exception {
        String topic = "ipdm/source-it";
        try (MeshNode publisher =
                MeshNode.start(
                        MeshNodeConfig.of(
                                        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                                        List.of(),
                                        List.of(topic))
                                .withGossip(
                                        GossipConfig.defaults()
                                                .withHeartbeat(Duration.ofMillis(200))))) {
            PipelineLoader.Loaded loaded =
                    PipelineLoader.parse(
                            PIPELINE,
                            "gossip-in.yaml",
                            List.of(),
                            Map.of("PEER", publisher.addresses().get(0).toString()));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            PipelineCompiler.Compiled compiled =
                    PipelineCompiler.compile(loaded, env, Path.of("target"));
            assertThat(compiled.streams().get("paid").fieldNames())
                    .containsExactly(
                            "slot",
                            "root_cid",
                            "block_time",
                            "fee",
                            "topic",
                            "message_id",
                            "author",
                            "seqno");
            CompletableFuture<List<Row>> rows =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return compiled.streams().get("paid").stream()
                                            .executeAndCollect(2);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (publisher.gossip().topicPeers(topic).isEmpty()) {
                assertThat(System.nanoTime()).as("source joined the topic").isLessThan(deadline);
                Thread.sleep(50);
            }
            for (String m :
                    List.of(
                            "{\"slot\":10,\"root_cid\":\"a\",\"block_time\":1700000000,\"fee\":0.5}",
                            "{\"slot\":11,\"root_cid\":\"b\",\"block_time\":1700000001,\"fee\":0.0}",
                            "{\"slot\":12,\"root_cid\":\"c\",\"block_time\":1700000002,\"fee\":2.0}")) {
                publisher.publish(topic, m.getBytes(StandardCharsets.UTF_8)).get();
            }
            List<Row> got = rows.get(30, TimeUnit.SECONDS);
            assertThat(got.stream().map(r -> Row.project(r, new int[] {0, 1, 2, 3})).toList())
                    .containsExactly(
                            Row.of(10L, "a", 1700000000L, 0.5), Row.of(12L, "c", 1700000002L, 2.0));
            assertThat(got).extracting(r -> r.getField(4)).containsOnly(topic);
            assertThat(got)
                    .extracting(r -> r.getField(6))
                    .containsOnly(publisher.peerId().toBase58());
        }
    }
}
