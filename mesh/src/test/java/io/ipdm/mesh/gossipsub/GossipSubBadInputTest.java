package io.ipdm.mesh.gossipsub;

import static io.ipdm.mesh.testutils.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.transport.TransportConfig;
import io.ipdm.mesh.yamux.YamuxStream;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A hand-driven attacker speaks raw gossipsub RPCs to a victim that also serves an honest peer. */
class GossipSubBadInputTest {
    private static final String TOPIC = "ipdm/adversarial";
    private final Host victimHost = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
    private final Host honestHost = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
    private final Ed25519KeyPair attackerKey = Ed25519KeyPair.generate();
    private final Host attackerHost = new Host(attackerKey, TransportConfig.defaults());
    private final List<String> victimGot = new CopyOnWriteArrayList<>();
    private final List<String> honestGot = new CopyOnWriteArrayList<>();
    private GossipSub victim;
    private GossipSub honest;
    private Connection attack;
    private YamuxStream rpcStream;

    @BeforeEach
    void setUp() throws Exception {
        GossipConfig cfg = GossipConfig.defaults().withHeartbeat(Duration.ofMillis(200));
        // Slow decay so the penalties stay visible for the assertions.
        ScoreParams sp =
                ScoreParams.defaults()
                        .withInvalidMessageDeliveriesDecay(0.999)
                        .withBehaviourPenaltyDecay(0.999);
        victim = GossipSub.install(victimHost, null, cfg, sp);
        honest = GossipSub.install(honestHost, null, cfg, sp);
        victim.subscribe(
                TOPIC, (m, f) -> victimGot.add(new String(m.data(), StandardCharsets.UTF_8)));
        honest.subscribe(
                TOPIC, (m, f) -> honestGot.add(new String(m.data(), StandardCharsets.UTF_8)));
        Multiaddr v = victimHost.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        honestHost.dial(v).get(10, TimeUnit.SECONDS);
        attack = attackerHost.dial(v).get(10, TimeUnit.SECONDS);
        rpcStream = attack.newStream(GossipSub.V11, (s, d) -> {}).get(10, TimeUnit.SECONDS);
        await("honest mesh", () -> victim.meshPeers(TOPIC).contains(honestHost.peerId()));
    }

    @AfterEach
    void tearDown() {
        attackerHost.close();
        honestHost.close();
        victimHost.close();
    }

    private void sendRpc(byte[] rpc) {
        rpcStream.write(LengthPrefixedReader.frame(rpc));
    }

    private static byte[] publishRpc(byte[] message) {
        return new ProtoWriter().bytes(2, message).toByteArray();
    }

    private void assertVictimStillServesTheHonestPeer(String tag) throws Exception {
        honest.publish(TOPIC, ("honest-" + tag).getBytes(StandardCharsets.UTF_8))
                .get(10, TimeUnit.SECONDS);
        victim.publish(TOPIC, ("victim-" + tag).getBytes(StandardCharsets.UTF_8))
                .get(10, TimeUnit.SECONDS);
        await("victim receives from honest", () -> victimGot.contains("honest-" + tag));
        await("honest receives from victim", () -> honestGot.contains("victim-" + tag));
    }

    @Test
    void badSignatureIsRejectedPenalisedAndGraylists() throws Exception {
        PubSubMessage good =
                PubSubMessage.sign(attackerKey, TOPIC, "real".getBytes(StandardCharsets.UTF_8), 1);
        // Same author and seqno, different data: the signature no longer covers the content.
        byte[] forged =
                new ProtoWriter()
                        .bytes(1, attackerKey.peerId().toBytes())
                        .bytes(2, "forged".getBytes(StandardCharsets.UTF_8))
                        .bytes(3, new byte[] {0, 0, 0, 0, 0, 0, 0, 1})
                        .string(4, TOPIC)
                        .bytes(
                                5,
                                attackerKey.sign("something else".getBytes(StandardCharsets.UTF_8)))
                        .toByteArray();
        sendRpc(publishRpc(forged));
        await("invalid counted", () -> victim.metrics().invalid() == 1);
        assertThat(victim.score(attackerKey.peerId()))
                .isLessThan(ScoreParams.defaults().graylistThreshold());

        // While graylisted, even a valid message from the attacker is ignored.
        sendRpc(publishRpc(good.encoded()));
        await("graylisted RPC counted", () -> victim.metrics().graylistedRpcs() >= 1);
        assertThat(victimGot).doesNotContain("forged", "real");
        assertThat(honestGot).doesNotContain("forged", "real");
        assertVictimStillServesTheHonestPeer("after-forgery");
    }

    @Test
    void unsignedMessageIsRejectedUnderStrictSign() throws Exception {
        byte[] unsigned =
                new ProtoWriter()
                        .bytes(2, "anon".getBytes(StandardCharsets.UTF_8))
                        .string(4, TOPIC)
                        .toByteArray();
        sendRpc(publishRpc(unsigned));
        await("invalid counted", () -> victim.metrics().invalid() == 1);
        assertThat(victimGot).doesNotContain("anon");
        assertVictimStillServesTheHonestPeer("after-unsigned");
    }

    @Test
    void oversizedFrameDisconnectsTheAttacker() throws Exception {
        // A length prefix announcing 8 MiB: rejected before anything is allocated for it.
        rpcStream.write(
                Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04}));
        await("attacker disconnected", () -> !attack.isOpen());
        assertThat(victim.metrics().malformedRpcs()).isEqualTo(1);
        assertThat(victim.score(attackerKey.peerId())).isLessThan(0);
        assertVictimStillServesTheHonestPeer("after-oversize");
    }

    @Test
    void malformedProtobufIsCountedAndPenalised() throws Exception {
        // Field 2 claims 100 bytes but 2 follow; then a truncated varint.
        sendRpc(new byte[] {0x12, 100, 1, 2});
        sendRpc(new byte[] {0x08, (byte) 0x80});
        await("malformed counted", () -> victim.metrics().malformedRpcs() == 2);
        assertThat(attack.isOpen()).isTrue();
        assertVictimStillServesTheHonestPeer("after-malformed");
    }

    @Test
    void graftDuringBackoffIsPenalised() throws Exception {
        byte[] graft =
                new ProtoWriter()
                        .message(
                                3, new ProtoWriter().message(3, new ProtoWriter().string(1, TOPIC)))
                        .toByteArray();
        byte[] prune =
                new ProtoWriter()
                        .message(
                                3,
                                new ProtoWriter()
                                        .message(
                                                4,
                                                new ProtoWriter().string(1, TOPIC).uint64(3, 60)))
                        .toByteArray();
        byte[] subscribe =
                new ProtoWriter()
                        .message(1, new ProtoWriter().bool(1, true).string(2, TOPIC))
                        .toByteArray();
        sendRpc(subscribe);
        sendRpc(graft);
        await("attacker grafted", () -> victim.meshPeers(TOPIC).contains(attackerKey.peerId()));
        sendRpc(prune); // we leave: both sides now back off for 60 s
        await("attacker pruned", () -> !victim.meshPeers(TOPIC).contains(attackerKey.peerId()));
        for (int i = 0; i < 3; i++) {
            sendRpc(graft);
        }
        await("behaviour penalty", () -> victim.score(attackerKey.peerId()) < 0);
        assertThat(victim.meshPeers(TOPIC)).doesNotContain(attackerKey.peerId());
        assertVictimStillServesTheHonestPeer("after-graft-flood");
    }
}
