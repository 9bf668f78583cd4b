package io.ipdm.connectors.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.gossipsub.sink.GossipsubSink;
import io.ipdm.mesh.gossipsub.GossipConfig;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.MeshNodeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class GossipsubITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static MeshNode peer(String topic) {
        return MeshNode.start(
                MeshNodeConfig.of(
                                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                                List.of(),
                                List.of(topic))
                        .withGossip(GossipConfig.defaults().withHeartbeat(Duration.ofMillis(200))));
    }

    /** Runs {@code source} on the MiniCluster in the background until it emitted {@code n} rows. */
    private static CompletableFuture<List<Row>> collect(
            GossipsubSource source, int parallelism, int n) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "gossipsub")
                                .executeAndCollect(n);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    /** Waits until each of {@code peers} has a peer on {@code topic}: the source has joined it. */
    private static void awaitSourceJoined(String topic, MeshNode... peers)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Arrays.stream(peers).anyMatch(p -> p.gossip().topicPeers(topic).isEmpty())) {
            assertThat(System.nanoTime()).as("source joined the topic").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void sourceEmitsEachMessageOnceAndSkipsBadPayloads() throws Exception {
        String topic = "ipdm/source-test";
        try (MeshNode publisher = peer(topic)) {
            GossipsubOptions options =
                    GossipsubOptions.of(topic, List.of(publisher.addresses().get(0).toString()));
            GossipsubSource source = new GossipsubSource(options, RowCodecTest.PAYLOAD);
            // one reader owns the split; the other stays idle
            CompletableFuture<List<Row>> rows = collect(source, 2, 3);
            awaitSourceJoined(topic, publisher);
            publisher
                    .publish(
                            topic,
                            "{\"slot\":1,\"root_cid\":\"a\"}".getBytes(StandardCharsets.UTF_8))
                    .get();
            publisher.publish(topic, "not json".getBytes(StandardCharsets.UTF_8)).get();
            publisher
                    .publish(
                            topic,
                            "{\"slot\":2,\"root_cid\":\"b\",\"fee\":0.5}"
                                    .getBytes(StandardCharsets.UTF_8))
                    .get();
            publisher.publish(topic, "{\"slot\":3}".getBytes(StandardCharsets.UTF_8)).get();
            List<Row> got = rows.get(60, TimeUnit.SECONDS);
            assertThat(got).extracting(r -> r.getField(0)).containsExactly(1L, 2L, 3L);
            assertThat(got).extracting(r -> r.getField(3)).containsOnly(topic);
            assertThat(got)
                    .extracting(r -> r.getField(5))
                    .containsOnly(publisher.peerId().toBase58());
            assertThat(got).extracting(r -> r.getField(4)).doesNotHaveDuplicates();
        }
    }

    @Test
    void sinkPublishesRowsAsJson() throws Exception {
        String topic = "ipdm/sink-test";
        try (MeshNode subscriber = peer(topic)) {
            List<String> got = new CopyOnWriteArrayList<>();
            subscriber.subscribe(
                    topic, (m, from) -> got.add(new String(m.data(), StandardCharsets.UTF_8)));
            GossipsubOptions options =
                    GossipsubOptions.of(topic, List.of(subscriber.addresses().get(0).toString()))
                            .withMinSubscribers(1, Duration.ofSeconds(30));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            List<Row> rows = new ArrayList<>();
            for (long i = 0; i < 5; i++) {
                rows.add(Row.of(i, "cid" + i, i * 0.5));
            }
            env.fromData(RowCodecTest.PAYLOAD, rows.toArray(new Row[0]))
                    .sinkTo(new GossipsubSink(options, RowCodecTest.PAYLOAD));
            env.execute("gossipsub sink");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < 5) {
                assertThat(System.nanoTime()).as("all rows arrive").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(got)
                    .containsExactlyInAnyOrder(
                            "{\"slot\":0,\"root_cid\":\"cid0\",\"fee\":0.0}",
                            "{\"slot\":1,\"root_cid\":\"cid1\",\"fee\":0.5}",
                            "{\"slot\":2,\"root_cid\":\"cid2\",\"fee\":1.0}",
                            "{\"slot\":3,\"root_cid\":\"cid3\",\"fee\":1.5}",
                            "{\"slot\":4,\"root_cid\":\"cid4\",\"fee\":2.0}");
        }
    }

    @Test
    void arrowRowsRoundTripFromSinkThroughTheMeshToSource() throws Exception {
        String topic = "ipdm/arrow-test";
        List<Row> rows = ArrowPayloadTest.rows(2500); // three messages: 1024 + 1024 + 452 rows
        try (MeshNode relay = peer(topic)) {
            String relayAddr = relay.addresses().get(0).toString();
            GossipsubSource source =
                    new GossipsubSource(
                            GossipsubOptions.of(topic, List.of(relayAddr))
                                    .withFormat(PayloadFormat.ARROW),
                            ArrowPayloadTest.TYPE);
            CompletableFuture<List<Row>> read = collect(source, 1, rows.size());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (relay.gossip().meshPeers(topic).isEmpty()) {
                assertThat(System.nanoTime()).as("source grafted").isLessThan(deadline);
                Thread.sleep(50);
            }
            StreamExecutionEnvironment writeEnv =
                    StreamExecutionEnvironment.getExecutionEnvironment();
            writeEnv.setParallelism(1);
            writeEnv.fromData(ArrowPayloadTest.TYPE, rows.toArray(new Row[0]))
                    .sinkTo(
                            new GossipsubSink(
                                    GossipsubOptions.of(topic, List.of(relayAddr))
                                            .withFormat(PayloadFormat.ARROW)
                                            .withMinSubscribers(1, Duration.ofSeconds(30)),
                                    ArrowPayloadTest.TYPE));
            writeEnv.execute("gossipsub arrow sink");
            List<Row> got = read.get(60, TimeUnit.SECONDS);
            assertThat(got).extracting(r -> r.getField(6)).containsOnly(topic);
            assertThat(got.stream().map(r -> r.getField(7)).distinct()).hasSize(3); // message ids
            assertThat(got.stream().map(r -> Row.project(r, new int[] {0, 1, 2, 3, 4, 5})).toList())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyInAnyOrderElementsOf(rows);
        }
    }

    /**
     * With authorized publishers, messages from other authors are dropped before they become rows
     * (and are not forwarded), whatever they contain; a sink whose key is not listed does not
     * start.
     */
    @Test
    void onlyAuthorizedPublishersReachTheSourceAndAnUnlistedSinkRefusesToStart(@TempDir Path dir)
            throws Exception {
        String topic = "ipdm/authorized-test";
        try (MeshNode good = peer(topic);
                MeshNode evil = peer(topic)) {
            GossipsubOptions options =
                    GossipsubOptions.of(
                                    topic,
                                    List.of(
                                            good.addresses().get(0).toString(),
                                            evil.addresses().get(0).toString()))
                            .withAuthorizedPublishers(List.of(good.peerId().toBase58()));
            GossipsubSource source = new GossipsubSource(options, RowCodecTest.PAYLOAD);
            CompletableFuture<List<Row>> rows = collect(source, 1, 2);
            awaitSourceJoined(topic, good, evil);
            for (int i = 0; i < 3; i++) {
                evil.publish(
                                topic,
                                ("{\"slot\":" + (100 + i) + "}").getBytes(StandardCharsets.UTF_8))
                        .get();
            }
            good.publish(topic, "{\"slot\":1}".getBytes(StandardCharsets.UTF_8)).get();
            evil.publish(topic, "{\"slot\":103}".getBytes(StandardCharsets.UTF_8)).get();
            good.publish(topic, "{\"slot\":2}".getBytes(StandardCharsets.UTF_8)).get();
            List<Row> got = rows.get(60, TimeUnit.SECONDS);
            assertThat(got).extracting(r -> r.getField(0)).containsExactly(1L, 2L);
            assertThat(got).extracting(r -> r.getField(5)).containsOnly(good.peerId().toBase58());

            Path key = dir.resolve("unlisted.key");
            io.ipdm.mesh.identity.KeyFile.loadOrCreate(key);
            StreamExecutionEnvironment writeEnv =
                    StreamExecutionEnvironment.getExecutionEnvironment();
            writeEnv.setParallelism(1);
            writeEnv.fromData(RowCodecTest.PAYLOAD, Row.of(1L, "a", 0.5))
                    .sinkTo(
                            new GossipsubSink(
                                    options.withKeyFile(key.toString()), RowCodecTest.PAYLOAD));
            assertThatThrownBy(() -> writeEnv.execute("unlisted sink"))
                    .rootCause()
                    .hasMessageContaining("gossipsub sink: ")
                    .hasMessageContaining(" is not an authorized publisher of " + topic);
        }
    }
}
