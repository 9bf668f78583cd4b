package io.ipdm.mesh.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpcTest {
    @Test
    void roundTripsEveryPart() {
        Ed25519KeyPair k = Ed25519KeyPair.generate();
        PubSubMessage m = PubSubMessage.sign(k, "t", "hi".getBytes(StandardCharsets.UTF_8), 42);
        Rpc rpc = new Rpc();
        rpc.subscriptions.add(new Rpc.SubOpts(true, "t"));
        rpc.publish.add(m.encoded());
        rpc.ihave.add(new Rpc.IHave("t", List.of(m.id())));
        rpc.iwant.add(m.id());
        rpc.graft.add("t");
        byte[] record =
                new io.ipdm.mesh.identity.PeerRecord(
                                k.peerId(),
                                7,
                                List.of(
                                        io.ipdm.mesh.multiaddr.Multiaddr.parse(
                                                "/ip4/10.0.0.1/tcp/4001")))
                        .seal(k);
        rpc.prune.add(
                new Rpc.Prune(
                        "t",
                        List.of(
                                new Rpc.PxPeer(k.peerId().toBytes(), record),
                                new Rpc.PxPeer(k.peerId().toBytes())),
                        60));
        Rpc back = Rpc.decode(rpc.encode(), Rpc.Limits.defaults());
        assertThat(back.subscriptions).containsExactly(new Rpc.SubOpts(true, "t"));
        PubSubMessage m2 = PubSubMessage.decode(back.publish.get(0));
        m2.verify();
        assertThat(m2.author()).isEqualTo(k.peerId());
        assertThat(m2.seqno()).isEqualTo(42);
        assertThat(m2.id()).isEqualTo(m.id());
        assertThat(back.ihave.get(0).ids()).containsExactly(m.id());
        assertThat(back.iwant).containsExactly(m.id());
        assertThat(back.graft).containsExactly("t");
        assertThat(back.prune.get(0).backoffSeconds()).isEqualTo(60);
        assertThat(back.prune.get(0).peers().get(0).peerId()).isEqualTo(k.peerId().toBytes());
        assertThat(back.prune.get(0).peers().get(0).signedPeerRecord()).isEqualTo(record);
        assertThat(back.prune.get(0).peers().get(1).signedPeerRecord()).isNull();
    }

    @Test
    void messageIdIsKeyProtobufThenSeqnoAsJsLibp2pComputesIt() {
        Ed25519KeyPair k = Ed25519KeyPair.generate();
        PubSubMessage m = PubSubMessage.sign(k, "t", new byte[0], 0x0102030405060708L);
        byte[] key = k.publicKey().toProtobuf();
        byte[] id = m.id().bytes();
        assertThat(id).startsWith(key).endsWith(1, 2, 3, 4, 5, 6, 7, 8).hasSize(key.length + 8);
    }

    @Test
    void idontwantIsControlFieldFiveAndCountsAgainstTheLimit() {
        Rpc rpc = new Rpc();
        rpc.idontwant.add(new MessageId(new byte[] {1, 2}));
        rpc.idontwant.add(new MessageId(new byte[] {3}));
        byte[] wire = rpc.encode();
        // RPC.control (3) { ControlMessage.idontwant (5) { messageIDs (1) ... } }
        assertThat(wire).containsExactly(0x1a, 9, 0x2a, 7, 0x0a, 2, 1, 2, 0x0a, 1, 3);
        Rpc back = Rpc.decode(wire, Rpc.Limits.defaults());
        assertThat(back.hasControl()).isTrue();
        assertThat(back.idontwant)
                .extracting(MessageId::bytes)
                .containsExactly(new byte[] {1, 2}, new byte[] {3});
        assertThatThrownBy(() -> Rpc.decode(wire, new Rpc.Limits(2, 10, 1)))
                .hasMessage("RPC control has more than 1 entries");
    }

    @Test
    void decodingEnforcesLimits() {
        ProtoWriter w = new ProtoWriter();
        for (int i = 0; i < 3; i++) {
            w.message(1, new ProtoWriter().bool(1, true).string(2, "t" + i));
        }
        assertThatThrownBy(() -> Rpc.decode(w.toByteArray(), new Rpc.Limits(2, 10, 10)))
                .hasMessage("RPC has more than 2 subscriptions");
        ProtoWriter iw = new ProtoWriter();
        for (int i = 0; i < 5; i++) {
            iw.bytes(1, new byte[] {(byte) i});
        }
        byte[] rpc = new ProtoWriter().message(3, new ProtoWriter().message(2, iw)).toByteArray();
        assertThatThrownBy(() -> Rpc.decode(rpc, new Rpc.Limits(2, 10, 4)))
                .hasMessage("RPC control has more than 4 entries");
    }

    @Test
    void tamperedMessageFailsVerification() {
        Ed25519KeyPair k = Ed25519KeyPair.generate();
        Ed25519KeyPair other = Ed25519KeyPair.generate();
        byte[] withWrongKey =
                new ProtoWriter()
                        .bytes(1, k.peerId().toBytes())
                        .bytes(2, new byte[] {1})
                        .bytes(3, new byte[8])
                        .string(4, "t")
                        .bytes(5, new byte[64])
                        .bytes(6, other.publicKey().toProtobuf())
                        .toByteArray();
        assertThatThrownBy(() -> PubSubMessage.decode(withWrongKey).verify())
                .hasMessage("message key does not match its author " + k.peerId());
        byte[] shortSeqno =
                new ProtoWriter()
                        .bytes(1, k.peerId().toBytes())
                        .bytes(3, new byte[3])
                        .string(4, "t")
                        .bytes(5, new byte[64])
                        .toByteArray();
        assertThatThrownBy(() -> PubSubMessage.decode(shortSeqno).verify())
                .hasMessage("message seqno must be 8 bytes, got 3");
        assertThatThrownBy(
                        () ->
                                PubSubMessage.decode(
                                        new ProtoWriter().bytes(2, new byte[1]).toByteArray()))
                .hasMessage("message has no topic");
    }
}
