package io.ipdm.connectors.solana.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.connectors.solana.SolanaDecodeException;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.block.Projection;
import io.ipdm.connectors.solana.rpc.client.SolanaRpcException;
import io.ipdm.connectors.solana.rpc.enumerator.RpcEnumerator;
import io.ipdm.connectors.solana.rpc.enumerator.RpcEnumeratorState;
import io.ipdm.connectors.solana.rpc.enumerator.RpcEnumeratorStateSerializer;
import io.ipdm.connectors.solana.rpc.enumerator.RpcSplitRequest;
import io.ipdm.connectors.solana.rpc.reader.RpcReader;
import io.ipdm.connectors.solana.rpc.split.RpcSplit;
import io.ipdm.connectors.solana.rpc.split.RpcSplitSerializer;
import io.ipdm.connectors.solana.testutils.CollectingOutput;
import io.ipdm.connectors.solana.testutils.LocalRpcServer;
import io.ipdm.connectors.solana.testutils.SerializerReference;
import io.ipdm.connectors.solana.testutils.SharedData;
import io.ipdm.connectors.solana.testutils.TestEnumeratorContext;
import io.ipdm.connectors.solana.testutils.TestReaderContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;

class RpcReaderTest {
    static final SolanaTable B = SolanaTable.BLOCKS;

    static RpcOptions.Builder options(LocalRpcServer server) {
        return RpcOptions.builder(server.uri())
                .pollInterval(Duration.ofMillis(20))
                .backoff(Duration.ofMillis(5), Duration.ofMillis(40))
                .requestTimeout(Duration.ofSeconds(10));
    }

    /** Polls until END_OF_INPUT or {@code stop} holds, waiting on availability between polls. */
    static void drain(RpcReader reader, CollectingOutput out, Predicate<CollectingOutput> stop)
            throws Exception {
        for (int i = 0; i < 10_000; i++) {
            InputStatus s = reader.pollNext(out);
            if (s == InputStatus.END_OF_INPUT || stop.test(out)) {
                return;
            }
            if (s == InputStatus.NOTHING_AVAILABLE) {
                reader.isAvailable().get(30, TimeUnit.SECONDS);
            }
        }
        throw new AssertionError("reader did not finish");
    }

    static LocalRpcServer serverWithBlocks() throws Exception {
        return new LocalRpcServer()
                .tip(110)
                .block(100, SharedData.solana("photon-getblock-base64/block_270893658.json"))
                .block(102, SharedData.solana("photon-getblock-base64/block_314167369.json"))
                .block(103, SharedData.solana("photon-getblock-base64/block_443787702.json"))
                .block(104, SharedData.solana("chainstorage-getblock-json/client-block.json"))
                .fail(102, 503)
                .fail(103, -32004, 429);
    }

    @Test
    void readsSlotsInOrderSkippingAndRetrying() throws Exception {
        try (LocalRpcServer server = serverWithBlocks()) {
            RpcOptions o =
                    options(server).startSlot(100).endSlot(105).commitment("finalized").build();
            RpcReader reader = new RpcReader(new TestReaderContext(), o, Projection.all(B));
            reader.addSplits(List.of(new RpcSplit(100, 105)));
            reader.notifyNoMoreSplits();
            CollectingOutput out = new CollectingOutput();
            drain(reader, out, x -> false);
            reader.close();
            assertThat(out.rows)
                    .extracting(r -> r.getField(0))
                    .containsExactly(100L, 102L, 103L, 104L);
            assertThat(out.rows)
                    .extracting(r -> r.getField(B.indexOf("tx_count")))
                    .containsExactly(57, 18, 20, 10);
            assertThat(out.rows.get(0).getField(B.indexOf("blockhash")))
                    .isEqualTo("5VAKe1YDgfuJ2wsFEVtDAu9unRyvfDkB21Zn6Bfv9KW4");
            synchronized (server.requests) {
                assertThat(server.requests)
                        .allSatisfy(
                                r ->
                                        assertThat(r.toString())
                                                .contains("\"commitment\":\"finalized\""));
            }
            // 100, 101 (skipped), 102 twice, 103 three times, 104.
            assertThat(server.count("getBlock")).isEqualTo(8);
        }
    }

    @Test
    void startsAtTheTipAndFollowsIt() throws Exception {
        try (LocalRpcServer server = serverWithBlocks().tip(102)) {
            RpcOptions o = options(server).build();
            RpcReader reader =
                    new RpcReader(
                            new TestReaderContext(), o, Projection.all(SolanaTable.TRANSACTIONS));
            reader.addSplits(List.of(new RpcSplit(RpcSplit.FROM_TIP, RpcSplit.UNBOUNDED)));
            CollectingOutput out = new CollectingOutput();
            drain(reader, out, x -> x.rows.size() >= 18);
            assertThat(out.rows).extracting(r -> r.getField(0)).containsOnly(102L);
            assertThat(reader.snapshotState(1))
                    .containsExactly(new RpcSplit(103, RpcSplit.UNBOUNDED));
            server.tip(104);
            drain(reader, out, x -> x.rows.size() >= 18 + 20 + 10);
            reader.close();
            assertThat(out.rows.stream().map(r -> (Long) r.getField(0)).distinct())
                    .containsExactly(102L, 103L, 104L);
            assertThat(out.timestamps.get(0)).isEqualTo(1721924230_000L);
        }
    }

    @Test
    void failsAfterMaxAttempts() throws Exception {
        try (LocalRpcServer server = serverWithBlocks().fail(100, 503, 503, 503)) {
            RpcOptions o = options(server).startSlot(100).endSlot(101).maxAttempts(3).build();
            RpcReader reader = new RpcReader(new TestReaderContext(), o, Projection.all(B));
            reader.addSplits(List.of(new RpcSplit(100, 101)));
            assertThatThrownBy(() -> drain(reader, new CollectingOutput(), x -> false))
                    .isInstanceOf(SolanaRpcException.class)
                    .hasMessage(
                            "getBlock 100 at "
                                    + server.uri()
                                    + " failed after 3 attempts: getBlock 100: HTTP 503");
            reader.close();
        }
    }

    @Test
    void unreachableEndpointIsSaidInWords() throws Exception {
        int port;
        try (java.net.ServerSocket s =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed here: connections to it are refused
        }
        java.net.URI url = java.net.URI.create("http://127.0.0.1:" + port + "/rpc");
        RpcOptions o =
                RpcOptions.builder(url)
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(10))
                        .maxAttempts(2)
                        .build();
        RpcReader reader = new RpcReader(new TestReaderContext(), o, Projection.all(B));
        reader.addSplits(List.of(new RpcSplit(RpcSplit.FROM_TIP, RpcSplit.UNBOUNDED)));
        assertThatThrownBy(() -> drain(reader, new CollectingOutput(), x -> false))
                .isInstanceOf(SolanaRpcException.class)
                .hasMessage(
                        "getSlot at "
                                + url
                                + " failed after 2 attempts: getSlot: connection refused (nothing"
                                + " listens at 127.0.0.1:"
                                + port
                                + "); is the Solana node running, and is "
                                + url
                                + " its JSON-RPC URL?");
        reader.close();
    }

    @Test
    void asksForTheSplitAsAnRpcReader() throws Exception {
        TestReaderContext ctx = new TestReaderContext();
        try (LocalRpcServer server = serverWithBlocks()) {
            RpcReader reader = new RpcReader(ctx, options(server).build(), Projection.all(B));
            reader.start();
            assertThat(ctx.events).containsExactly(new RpcSplitRequest());
            assertThat(ctx.splitRequests).as("no Flink split request").isZero();
            reader.close();
        }
    }

    @Test
    void theSplitGoesOnlyToRpcReaders() {
        TestEnumeratorContext<RpcSplit> ctx = new TestEnumeratorContext<>(2);
        RpcSplit split = new RpcSplit(100, 200);
        RpcEnumerator e = new RpcEnumerator(ctx, new RpcEnumeratorState(List.of(split)));
        // a reader still on the archive of a hybrid source (restarted after the switch): that
        // source is over for it, and the RPC split stays for an RPC reader
        e.handleSplitRequest(0, "localhost");
        assertThat(ctx.noMoreSplits).containsExactly(0);
        assertThat(ctx.assigned).isEmpty();
        e.handleSourceEvent(1, new RpcSplitRequest());
        assertThat(ctx.assigned).containsExactly(java.util.Map.entry(1, List.of(split)));
        e.handleSourceEvent(0, new RpcSplitRequest());
        assertThat(ctx.noMoreSplits).containsExactly(0);
        assertThat(ctx.assigned.get(0)).isNull();
        assertThat(e.snapshotState(1).unassigned()).isEmpty();
        // its reader failed: the split goes to the next RPC reader that asks, none else
        e.addSplitsBack(List.of(split.withNext(150)), 1);
        e.handleSplitRequest(1, "localhost");
        assertThat(ctx.assigned.get(1)).containsExactly(split);
        e.handleSourceEvent(1, new RpcSplitRequest());
        assertThat(ctx.assigned.get(1)).containsExactly(split, split.withNext(150));
    }

    @Test
    void corruptBlockNamesEndpointAndSlot() throws Exception {
        try (LocalRpcServer server =
                serverWithBlocks()
                        .block(
                                100,
                                SharedData.solana(
                                        "chainstorage-getblock-json/client-block_transaction_no_signatures.json"))) {
            RpcOptions o = options(server).startSlot(100).endSlot(101).build();
            RpcReader reader = new RpcReader(new TestReaderContext(), o, Projection.all(B));
            reader.addSplits(List.of(new RpcSplit(100, 101)));
            assertThatThrownBy(() -> drain(reader, new CollectingOutput(), x -> false))
                    .isInstanceOf(SolanaDecodeException.class)
                    .hasMessage(
                            server.uri()
                                    + " getBlock 100: slot 100, transaction 0: transaction has no signatures");
            reader.close();
        }
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(
                        () ->
                                RpcOptions.builder(java.net.URI.create("http://127.0.0.1:1/"))
                                        .commitment("processed")
                                        .build())
                .hasMessage(
                        "Solana RPC source: commitment must be one of [confirmed, finalized] (getBlock does not serve processed), got processed");
        assertThatThrownBy(() -> RpcOptions.builder(java.net.URI.create("ftp://x/")).build())
                .hasMessage("Solana RPC source: endpoint must be an http(s) URL, got ftp://x/");
    }

    @Test
    void serializersRestoreFromReferenceBytes() throws Exception {
        RpcSplit split = new RpcSplit(326027759L, RpcSplit.UNBOUNDED);
        byte[] ref = SerializerReference.load("rpc-split-v1");
        assertThat(RpcSplitSerializer.INSTANCE.deserialize(1, ref)).isEqualTo(split);
        assertThat(RpcSplitSerializer.INSTANCE.serialize(split)).isEqualTo(ref);
        RpcEnumeratorState state = new RpcEnumeratorState(List.of(split));
        byte[] stateRef = SerializerReference.load("rpc-enumerator-state-v1");
        assertThat(RpcEnumeratorStateSerializer.INSTANCE.deserialize(1, stateRef)).isEqualTo(state);
        assertThat(RpcEnumeratorStateSerializer.INSTANCE.serialize(state)).isEqualTo(stateRef);
    }
}
