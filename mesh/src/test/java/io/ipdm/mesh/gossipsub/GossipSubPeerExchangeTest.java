package io.ipdm.mesh.gossipsub;

import static io.ipdm.mesh.testutils.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.mesh.yamux.YamuxStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Peer exchange over TCP: a well-scored peer's PRUNE names two peers our node has never heard of,
 * each with a signed peer record; the adapter dials the one whose record verifies at the address it
 * signs (no identify answer or routing table knows it) and not the one whose record is forged.
 */
class GossipSubPeerExchangeTest {
    private static final String TOPIC = "ipdm/px";
    private final Host node = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
    private final Ed25519KeyPair relayKey = Ed25519KeyPair.generate();
    private final Host relay = new Host(relayKey, TransportConfig.defaults());
    private final Ed25519KeyPair goodKey = Ed25519KeyPair.generate();
    private final Host good = new Host(goodKey, TransportConfig.defaults());
    private final Ed25519KeyPair forgedKey = Ed25519KeyPair.generate();
    private final Host forged = new Host(forgedKey, TransportConfig.defaults());

    @AfterEach
    void close() {
        for (Host h : List.of(node, relay, good, forged)) {
            h.close();
        }
    }

    @Test
    void aPruneFromAWellScoredPeerIsFollowedToTheAddressesItsRecordsSign() throws Exception {
        GossipSub g =
                GossipSub.install(
                        node,
                        null,
                        GossipConfig.defaults().withHeartbeat(Duration.ofMillis(200)),
                        ScoreParams.defaults());
        g.subscribe(TOPIC, (m, f) -> {});
        g.setApplicationScore(relayKey.peerId(), 20); // above the accept-PX threshold (10)
        Multiaddr at = node.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Multiaddr goodAddr = good.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Multiaddr forgedAddr = forged.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));

        byte[] goodRecord =
                new PeerRecord(goodKey.peerId(), 1, List.of(goodAddr.withoutPeerId()))
                        .seal(goodKey);
        byte[] forgedRecord =
                new PeerRecord(forgedKey.peerId(), 1, List.of(forgedAddr.withoutPeerId()))
                        .seal(forgedKey);
        forgedRecord[forgedRecord.length - 1] ^= 1;

        Connection c = relay.dial(at).get(10, TimeUnit.SECONDS);
        YamuxStream s =
                c.newStream(GossipSub.V11, (st, d) -> d.release()).get(10, TimeUnit.SECONDS);
        Rpc rpc = new Rpc();
        rpc.subscriptions.add(new Rpc.SubOpts(true, TOPIC));
        rpc.prune.add(
                new Rpc.Prune(
                        TOPIC,
                        List.of(
                                new Rpc.PxPeer(forgedKey.peerId().toBytes(), forgedRecord),
                                new Rpc.PxPeer(goodKey.peerId().toBytes(), goodRecord)),
                        60));
        s.write(LengthPrefixedReader.frame(rpc.encode()));

        await("dialed the PX peer", () -> node.connection(goodKey.peerId()) != null);
        // the forged entry came first and produced no dial: only a refusal
        assertThat(node.connection(forgedKey.peerId())).isNull();
        assertThat(forged.connections()).isEmpty();
        assertThat(g.score(relayKey.peerId())).as("the relay is not penalised").isGreaterThan(10);
    }
}
