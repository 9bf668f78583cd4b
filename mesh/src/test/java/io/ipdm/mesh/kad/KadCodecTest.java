package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Multihash;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KadCodecTest {
    private static final KadCodec CODEC = new KadCodec(4096, 64, 4, 3);
    private static final PeerId A = Ed25519KeyPair.generate().peerId();

    @Test
    void roundTripsEveryField() {
        byte[] key = Multihash.sha2_256("x".getBytes()).toBytes();
        KadMessage m =
                new KadMessage(
                        KadMessage.Type.GET_PROVIDERS,
                        key,
                        new byte[] {1, 2},
                        List.of(
                                new KadPeer(
                                        A,
                                        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")),
                                        KadPeer.Connectedness.CONNECTED)),
                        List.of(KadPeer.of(A, List.of(Multiaddr.parse("/ip6/::1/tcp/1")))));
        assertThat(CODEC.decode(CODEC.encode(m))).isEqualTo(m);
    }

    @Test
    void encodesTheSpecLayout() {
        byte[] key = {(byte) 0xAB, (byte) 0xCD};
        // type=4 (field 1 varint), key (field 2, length 2)
        assertThat(
                        HexFormat.of()
                                .formatHex(
                                        CODEC.encode(
                                                KadMessage.request(
                                                        KadMessage.Type.FIND_NODE, key))))
                .isEqualTo("08041202abcd");
        // PUT_VALUE is type 0: absent type decodes to it, as proto3 omits zero
        assertThat(CODEC.decode(HexFormat.of().parseHex("1202abcd")).type())
                .isEqualTo(KadMessage.Type.PUT_VALUE);
    }

    @Test
    void skipsAddressesItCannotParseButKeepsThePeer() {
        byte[] peer =
                new ProtoWriter()
                        .bytes(1, A.toBytes())
                        .bytes(2, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x03})
                        .bytes(2, Multiaddr.parse("/ip4/10.0.0.1/tcp/5").toBytes())
                        .toByteArray();
        byte[] msg =
                new ProtoWriter()
                        .uint64(1, 2)
                        .bytes(2, new byte[] {1})
                        .bytes(9, peer)
                        .toByteArray();
        KadMessage m = CODEC.decode(msg);
        assertThat(m.providerPeers()).hasSize(1);
        assertThat(m.providerPeers().get(0).addrs())
                .containsExactly(Multiaddr.parse("/ip4/10.0.0.1/tcp/5"));
    }

    @Test
    void rejectsMalformedAndOversizedInputNamingTheProblem() {
        assertThatThrownBy(() -> CODEC.decode(new byte[5000]))
                .isInstanceOf(KadException.class)
                .hasMessage("kad message of 5000 bytes exceeds the limit of 4096");
        assertThatThrownBy(() -> CODEC.decode(HexFormat.of().parseHex("0809")))
                .hasMessage("kad Message: unknown message type 9");
        assertThatThrownBy(() -> CODEC.decode(HexFormat.of().parseHex("120a00")))
                .hasMessage(
                        "malformed kad message: kad Message: field 2 length 10 exceeds the 1"
                                + " remaining bytes");
        assertThatThrownBy(
                        () -> CODEC.decode(new ProtoWriter().bytes(2, new byte[65]).toByteArray()))
                .hasMessage("kad Message: key of 65 bytes exceeds the limit of 64");
        byte[] badId = new ProtoWriter().bytes(1, new byte[] {0x55, 1, 2}).toByteArray();
        assertThatThrownBy(() -> CODEC.decode(new ProtoWriter().bytes(8, badId).toByteArray()))
                .isInstanceOf(KadException.class)
                .hasMessageStartingWith("kad Message.closerPeers[0].id: invalid peer id");
        byte[] noId = new ProtoWriter().bytes(2, new byte[] {4}).toByteArray();
        assertThatThrownBy(() -> CODEC.decode(new ProtoWriter().bytes(9, noId).toByteArray()))
                .hasMessage("kad Message.providerPeers[0]: missing id");
    }

    @Test
    void enforcesPeerAndAddressLimits() {
        byte[] peer = new ProtoWriter().bytes(1, A.toBytes()).toByteArray();
        ProtoWriter w = new ProtoWriter();
        for (int i = 0; i < 5; i++) {
            w.bytes(8, peer);
        }
        assertThatThrownBy(() -> CODEC.decode(w.toByteArray()))
                .hasMessage("kad Message: more than 4 peers (closerPeers + providerPeers)");
        ProtoWriter p = new ProtoWriter().bytes(1, A.toBytes());
        for (int i = 0; i < 4; i++) {
            p.bytes(2, Multiaddr.parse("/ip4/1.2.3.4/tcp/" + (i + 1)).toBytes());
        }
        assertThatThrownBy(
                        () ->
                                CODEC.decode(
                                        new ProtoWriter().bytes(8, p.toByteArray()).toByteArray()))
                .hasMessage("kad Message.closerPeers[0]: more than 3 addresses");
    }

    @Test
    void mutatedMessagesEitherDecodeOrFailWithAKadException() {
        KadCodec codec = new KadCodec(1 << 16, 256, 200, 32);
        byte[] key = Multihash.sha2_256("k".getBytes()).toBytes();
        List<KadPeer> peers = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            peers.add(
                    KadPeer.of(
                            Ed25519KeyPair.generate().peerId(),
                            List.of(
                                    Multiaddr.parse("/ip4/10.0.0." + i + "/tcp/4001"),
                                    Multiaddr.parse("/ip6/::1/tcp/" + (i + 1)))));
        }
        byte[] seed =
                codec.encode(
                        new KadMessage(
                                KadMessage.Type.GET_PROVIDERS,
                                key,
                                null,
                                peers.subList(0, 3),
                                peers.subList(3, 5)));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        int decoded = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] m = seed.clone();
            int edits = 1 + rnd.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(m.length);
                switch (rnd.nextInt(3)) {
                    case 0 -> m[at] ^= (byte) (1 << rnd.nextInt(8));
                    case 1 -> m[at] = (byte) rnd.nextInt(256);
                    default -> m = java.util.Arrays.copyOf(m, at);
                }
                if (m.length == 0) {
                    break;
                }
            }
            try {
                codec.decode(m);
                decoded++;
            } catch (KadException expected) {
                // the documented rejection
            }
        }
        assertThat(decoded).isPositive(); // some mutations stay valid (e.g. inside digests)
    }
}
