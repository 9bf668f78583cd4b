package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.ipdm.multiformats.Multihash;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile peer against a real DHT node over loopback: oversized and malformed messages, bogus
 * provider records, a request flood. The node stays up, penalizes (and finally disconnects) the
 * peer, and keeps serving an honest one.
 */
class KadBadInputTest {
    private static final KadConfig CFG =
            KadConfig.defaults().toBuilder()
                    .maxMessageBytes(64 * 1024)
                    .inboundRate(5, 40)
                    .ban(100, Duration.ofMinutes(10))
                    .build();
    private final KadCodec codec = KadCodec.of(CFG);
    private KadTestNode server;
    private KadTestNode honest;
    private KadTestNode hostile;
    private Connection conn;

    @BeforeEach
    void start() throws Exception {
        server = new KadTestNode(CFG);
        honest = new KadTestNode(CFG);
        hostile = new KadTestNode(CFG);
        honest.dht.bootstrap(List.of(server.addr)).get(30, TimeUnit.SECONDS);
        conn = hostile.host.dial(server.addr).get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        for (KadTestNode n : new KadTestNode[] {server, honest, hostile}) {
            n.close();
        }
    }

    /** What the server did with one stream: "reset", "closed" or "response:" + the answer. */
    private String exchange(ByteBuf bytes, boolean close) throws Exception {
        return startExchange(bytes, close).get(10, TimeUnit.SECONDS);
    }

    private CompletableFuture<String> startExchange(ByteBuf bytes, boolean close) {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        LengthPrefixedReader reader = new LengthPrefixedReader(1 << 20, "test");
        conn.newStream(
                        KadConfig.PROTOCOL,
                        new StreamHandler() {
                            @Override
                            public void onData(YamuxStream st, ByteBuf data) {
                                reader.feed(
                                        data, m -> outcome.complete("response:" + codec.decode(m)));
                            }

                            @Override
                            public void onRemoteClose(YamuxStream st) {
                                outcome.complete("closed");
                            }

                            @Override
                            public void onReset(YamuxStream st) {
                                outcome.complete("reset");
                            }
                        })
                .whenComplete(
                        (s, e) -> {
                            if (e != null) {
                                outcome.complete("failed: " + e.getMessage());
                                return;
                            }
                            s.write(bytes);
                            if (close) {
                                s.closeWrite();
                            }
                        });
        return outcome;
    }

    private ByteBuf frame(KadMessage m) {
        return LengthPrefixedReader.frame(codec.encode(m));
    }

    private void assertHonestPeerIsServed() throws Exception {
        LookupResult r =
                honest.dht
                        .closestPeers(new byte[] {(byte) System.nanoTime()}, Duration.ofSeconds(10))
                        .get(30, TimeUnit.SECONDS);
        assertThat(r.closest()).extracting(KadPeer::id).contains(server.id());
        assertThat(server.dht.penalty(honest.id())).isZero();
    }

    @Test
    void oversizedAndMalformedMessagesResetTheStreamAndPenalizeTheSender() throws Exception {
        ByteBuf huge = Unpooled.buffer();
        huge.writeBytes(
                new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}); // 2 MiB announced
        huge.writeBytes(new byte[1024]);
        assertThat(exchange(huge, false)).isEqualTo("reset");
        assertThat(server.dht.penalty(hostile.id()))
                .isGreaterThanOrEqualTo(Kademlia.MALFORMED_POINTS - 1);

        ByteBuf truncated = LengthPrefixedReader.frame(new byte[] {0x08, 0x04, 0x12, 0x7F, 1});
        assertThat(exchange(truncated, true)).isEqualTo("reset");
        ByteBuf badType = LengthPrefixedReader.frame(new byte[] {0x08, 0x09});
        assertThat(exchange(badType, true)).isEqualTo("reset");
        assertThat(server.dht.penalty(hostile.id())).isGreaterThan(2 * Kademlia.MALFORMED_POINTS);
        // A well-formed request on the same connection is still answered: penalized, not banned.
        String answer =
                exchange(
                        frame(KadMessage.request(KadMessage.Type.FIND_NODE, honest.id().toBytes())),
                        true);
        assertThat(answer).startsWith("response:FIND_NODE");
        assertHonestPeerIsServed();
    }

    @Test
    void bogusProviderRecordsAreNotStored() throws Exception {
        byte[] key = Multihash.sha2_256("victim".getBytes()).toBytes();
        KadMessage forHonest =
                new KadMessage(
                        KadMessage.Type.ADD_PROVIDER,
                        key,
                        null,
                        List.of(),
                        List.of(
                                KadPeer.of(
                                        honest.id(),
                                        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/9")))));
        assertThat(exchange(frame(forHonest), true)).isEqualTo("reset");
        // The sender itself, but only garbage addresses.
        byte[] garbagePeer =
                new ProtoWriter()
                        .bytes(1, hostile.id().toBytes())
                        .bytes(2, new byte[] {(byte) 0xEE, 1, 2, 3})
                        .toByteArray();
        byte[] garbage =
                new ProtoWriter().uint64(1, 2).bytes(2, key).bytes(9, garbagePeer).toByteArray();
        assertThat(exchange(LengthPrefixedReader.frame(garbage), true)).isEqualTo("reset");
        assertThat(server.dht.localProviders(key)).isEmpty();
        assertThat(server.dht.penalty(hostile.id()))
                .isGreaterThanOrEqualTo(2 * Kademlia.BOGUS_PROVIDER_POINTS - 1);
        // A garbage address next to a real one: the record keeps the real one.
        byte[] mixedPeer =
                new ProtoWriter()
                        .bytes(1, hostile.id().toBytes())
                        .bytes(2, new byte[] {(byte) 0xEE, 1, 2, 3})
                        .bytes(2, hostile.addr.withoutPeerId().toBytes())
                        .toByteArray();
        byte[] mixed =
                new ProtoWriter().uint64(1, 2).bytes(2, key).bytes(9, mixedPeer).toByteArray();
        assertThat(exchange(LengthPrefixedReader.frame(mixed), true)).isEqualTo("closed");
        assertThat(server.dht.localProviders(key))
                .extracting(ProviderRecord::provider, ProviderRecord::addrs)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                hostile.id(), List.of(hostile.addr.withoutPeerId())));
        // The honest peer finds exactly that record, not one for itself.
        LookupResult r =
                honest.dht.findProviders(key, 5, Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);
        assertThat(r.providers()).extracting(KadPeer::id).containsExactly(hostile.id());
        assertHonestPeerIsServed();
    }

    @Test
    void aFloodIsRateLimitedThenThePeerIsDisconnectedAndOthersAreServed() throws Exception {
        KadMessage req = KadMessage.request(KadMessage.Type.FIND_NODE, honest.id().toBytes());
        // All at once, each on its own stream (a refused request resets its stream).
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            outcomes.add(startExchange(frame(req), true));
        }
        int answered = 0;
        int refused = 0;
        for (CompletableFuture<String> o : outcomes) {
            if (o.get(30, TimeUnit.SECONDS).startsWith("response:")) {
                answered++;
            } else {
                refused++;
            }
        }
        // The burst of 40 is served; past the rate the requests are refused.
        assertThat(answered).isGreaterThanOrEqualTo(40).isLessThan(250);
        assertThat(refused).isGreaterThan(0);
        assertThat(server.dht.isBanned(hostile.id())).isTrue();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (conn.isOpen() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(conn.isOpen()).as("the server closed the flooder's connection").isFalse();
        assertThat(server.dht.stats().bannedPeers()).isEqualTo(1);
        assertHonestPeerIsServed();
        // Reconnecting does not help while banned: the connection is closed again at once.
        conn = hostile.host.dial(server.addr).get(10, TimeUnit.SECONDS);
        assertThat(exchange(frame(req), true)).doesNotStartWith("response:");
        PeerId h = hostile.id();
        assertThat(server.dht.routingTable()).extracting(RoutingEntry::peer).doesNotContain(h);
    }

    @Test
    void aPeerAnsweringGarbageIsPenalizedAndLookupsGoOn() throws Exception {
        // The hostile node now answers every kad request with an undecodable message.
        hostile.host.addProtocol(
                KadConfig.PROTOCOL,
                (c, stream) -> {
                    stream.write(
                            LengthPrefixedReader.frame(new byte[] {0x08, 0x04, 0x42, (byte) 0xFF}));
                    return (st, d) -> {};
                });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.dht.routingTable().stream().noneMatch(e -> e.peer().equals(hostile.id()))
                && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        LookupResult r =
                honest.dht
                        .closestPeers(new byte[] {9}, Duration.ofSeconds(10))
                        .get(30, TimeUnit.SECONDS);
        assertThat(r.failed()).isGreaterThanOrEqualTo(1);
        assertThat(r.closest())
                .extracting(KadPeer::id)
                .contains(server.id())
                .doesNotContain(hostile.id());
        assertThat(honest.dht.penalty(hostile.id()))
                .isGreaterThanOrEqualTo(Kademlia.MALFORMED_POINTS - 1);
    }
}
