package io.ipdm.mesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signed peer records in their envelopes: round trip and every way one is refused. */
class PeerRecordTest {
    private final Ed25519KeyPair key = Ed25519KeyPair.generate();
    private final Multiaddr addr = Multiaddr.parse("/ip4/10.1.2.3/tcp/4001");

    @Test
    void sealedRecordOpensWithItsPeerSeqAndAddresses() {
        PeerRecord r = PeerRecord.open(new PeerRecord(key.peerId(), 42, List.of(addr)).seal(key));
        assertThat(r).isEqualTo(new PeerRecord(key.peerId(), 42, List.of(addr)));
    }

    @Test
    void refusesForgedForeignMistypedAndOversizedEnvelopes() {
        byte[] env = new PeerRecord(key.peerId(), 1, List.of(addr)).seal(key);
        byte[] flipped = env.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThatThrownBy(() -> PeerRecord.open(flipped))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("signature does not verify");

        // a record naming another peer, signed by this key
        Ed25519KeyPair other = Ed25519KeyPair.generate();
        byte[] payload =
                new ProtoWriter().bytes(1, other.peerId().toBytes()).uint64(2, 1).toByteArray();
        byte[] foreign = reseal(payload, PeerRecord.PAYLOAD_TYPE);
        assertThatThrownBy(() -> PeerRecord.open(foreign))
                .hasMessage(
                        "signed peer record names peer "
                                + other.peerId()
                                + " but is signed by "
                                + key.peerId());

        byte[] mistyped = reseal(payload, new byte[] {0x03, 0x02});
        assertThatThrownBy(() -> PeerRecord.open(mistyped))
                .hasMessageContaining("payload type 0302, not a peer record (0301)");

        assertThatThrownBy(() -> PeerRecord.open(new byte[PeerRecord.MAX_ENVELOPE + 1]))
                .hasMessageContaining("over the 8192-byte limit");
        assertThatThrownBy(() -> PeerRecord.open(new byte[] {1, 2, 3}))
                .isInstanceOf(IdentityException.class);
        assertThatThrownBy(() -> new PeerRecord(other.peerId(), 1, List.of()).seal(key))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** An envelope over {@code payload} correctly signed by {@link #key}. */
    private byte[] reseal(byte[] payload, byte[] type) {
        // take a valid envelope's layout and swap payload/type, re-signing as the spec says
        java.io.ByteArrayOutputStream signed = new java.io.ByteArrayOutputStream();
        for (byte[] part :
                new byte[][] {
                    PeerRecord.DOMAIN.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    type,
                    payload
                }) {
            signed.writeBytes(io.ipdm.multiformats.Varint.encode(part.length));
            signed.writeBytes(part);
        }
        return new ProtoWriter()
                .bytes(1, key.publicKey().toProtobuf())
                .bytes(2, type)
                .bytes(3, payload)
                .bytes(5, key.sign(signed.toByteArray()))
                .toByteArray();
    }
}
