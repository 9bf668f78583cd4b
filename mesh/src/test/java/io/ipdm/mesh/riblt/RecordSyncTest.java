package io.ipdm.mesh.riblt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.records.RecordStore;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordSyncTest {
    private final Host server = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
    private final Host client = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    @Test
    void twoHostsSync10000RecordsWhereEachLacks100() throws Exception {
        Ed25519KeyPair alice = Ed25519KeyPair.fromSeed(new byte[32]);
        Ed25519KeyPair bob = Ed25519KeyPair.generate();
        RecordStore a = new RecordStore();
        RecordStore b = new RecordStore();
        for (int i = 0; i < 9_900; i++) {
            SignedRecord r = ReconcileSessionTest.record(alice, "common/" + i, 64, 1);
            a.put(r);
            b.put(r);
        }
        for (int i = 0; i < 100; i++) {
            a.put(ReconcileSessionTest.record(alice, "only-a/" + i, 64, 1));
            b.put(ReconcileSessionTest.record(bob, "only-b/" + i, 64, 1));
        }
        RecordSync.install(server, b, SyncConfig.defaults());
        RecordSync sync = RecordSync.install(client, a, SyncConfig.defaults());
        Connection c =
                client.dial(server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                        .get(10, TimeUnit.SECONDS);
        SyncResult r = sync.sync(c).get(60, TimeUnit.SECONDS);
        assertThat(r.stats().accepted()).isEqualTo(100);
        assertThat(r.stats().recordsSent()).isEqualTo(100);
        assertThat(r.refusals()).isEmpty();
        // The responder applies the last records after the initiator has finished sending.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (b.size() < 10_100 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ReconcileSessionTest.digests(a))
                .isEqualTo(ReconcileSessionTest.digests(b))
                .hasSize(10_100);

        // A second sync finds nothing to do, in one symbol.
        SyncResult again = sync.sync(c).get(60, TimeUnit.SECONDS);
        assertThat(again.stats().accepted()).isZero();
        assertThat(again.stats().symbolsSent()).isEqualTo(64);
    }

    @Test
    void aPeerSendingGarbageSymbolsIsRefusedWithAReasonAndTheHostKeepsServing() throws Exception {
        RecordStore b = new RecordStore();
        b.put(ReconcileSessionTest.record(Ed25519KeyPair.generate(), "k", 10, 1));
        SyncConfig small =
                new SyncConfig(64, 256, 1000, 1000, 1024, 1 << 20, Duration.ofSeconds(10));
        RecordSync served = RecordSync.install(server, b, small);
        Connection c =
                client.dial(server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                        .get(10, TimeUnit.SECONDS);
        CompletableFuture<String> aborted = new CompletableFuture<>();
        LengthPrefixedReader reader = new LengthPrefixedReader(1 << 20, "test");
        Random rnd = new Random(1);
        YamuxStream[] out = new YamuxStream[1];
        long[] next = {0};
        Runnable sendGarbage =
                () -> {
                    CodedSymbols run = new CodedSymbols(next[0], 250);
                    for (int k = 0; k < 250; k++) {
                        run.add(
                                rnd.nextLong(),
                                rnd.nextLong(),
                                rnd.nextLong(),
                                rnd.nextLong(),
                                rnd.nextLong(),
                                2);
                    }
                    next[0] += 250;
                    out[0].write(
                            LengthPrefixedReader.frame(
                                    SyncCodec.encode(SyncMessage.symbols(run, 77))));
                };
        out[0] =
                c.newStream(
                                RecordSync.PROTOCOL,
                                new StreamHandler() {
                                    @Override
                                    public void onData(YamuxStream s, ByteBuf data) {
                                        reader.feed(
                                                data,
                                                m -> {
                                                    SyncMessage msg =
                                                            SyncCodec.decode(m, 1000, 1000);
                                                    if (msg.type() == SyncMessage.Type.MORE) {
                                                        sendGarbage.run();
                                                    } else {
                                                        aborted.complete(
                                                                msg.type() + ": " + msg.reason());
                                                    }
                                                });
                                    }
                                })
                        .get(10, TimeUnit.SECONDS);
        client.eventLoop().execute(sendGarbage);
        assertThat(aborted.get(30, TimeUnit.SECONDS))
                .startsWith("ABORT: the remote stream did not decode within 1000 coded symbols");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (served.recentFailures().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(served.recentFailures())
                .singleElement()
                .asString()
                .startsWith(
                        "session with " + client.peerId() + ": the remote stream did not decode");

        // The host keeps serving honest peers.
        RecordSync honest = RecordSync.install(client, new RecordStore(), small);
        SyncResult r = honest.sync(c).get(30, TimeUnit.SECONDS);
        assertThat(r.stats().accepted()).isEqualTo(1);
        assertThat(honest.store().size()).isEqualTo(1);
    }

    @Test
    void aFailedSyncCompletesExceptionallyWithTheReason() throws Exception {
        RecordStore full = new RecordStore();
        Ed25519KeyPair k = Ed25519KeyPair.generate();
        for (int i = 0; i < 300; i++) {
            full.put(ReconcileSessionTest.record(k, "r/" + i, 10, 1));
        }
        // The server gives up after 64 symbols; 300 differences need more.
        SyncConfig tight = new SyncConfig(64, 256, 64, 1000, 1024, 1 << 20, Duration.ofSeconds(10));
        RecordSync.install(server, new RecordStore(), tight);
        RecordSync sync = RecordSync.install(client, full, SyncConfig.defaults());
        Connection c =
                client.dial(server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                        .get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> sync.sync(c).get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RibltException.class)
                .hasMessageContaining(
                        "peer "
                                + server.peerId()
                                + " ended the session: the remote stream did not decode within 64"
                                + " coded symbols");
    }

    @Test
    void aPeerOpeningTooManySessionsIsRefused() throws Exception {
        RecordSync served = RecordSync.install(server, new RecordStore(), SyncConfig.defaults());
        Connection c =
                client.dial(server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                        .get(10, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> resets = new ArrayList<>();
        for (int i = 0; i <= RecordSync.MAX_SESSIONS_PER_PEER; i++) {
            CompletableFuture<Void> reset = new CompletableFuture<>();
            resets.add(reset);
            c.newStream(
                            RecordSync.PROTOCOL,
                            new StreamHandler() {
                                @Override
                                public void onData(YamuxStream s, ByteBuf data) {}

                                @Override
                                public void onReset(YamuxStream s) {
                                    reset.complete(null);
                                }
                            })
                    .get(10, TimeUnit.SECONDS);
        }
        // Streams open in order; the one over the limit is reset, the others wait for symbols.
        resets.getLast().get(10, TimeUnit.SECONDS);
        assertThat(resets.subList(0, RecordSync.MAX_SESSIONS_PER_PEER))
                .noneMatch(CompletableFuture::isDone);
        assertThat(served.recentFailures())
                .containsExactly(
                        "session with "
                                + client.peerId()
                                + ": refused, 2 sessions with this peer are open (limit 2)");
    }
}
