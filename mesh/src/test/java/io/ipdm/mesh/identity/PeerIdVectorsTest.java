package io.ipdm.mesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.multiformats.testutils.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PeerIdVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static String field(String json, String block, String name) {
        int at = json.indexOf("\"key_type\": \"" + block + "\"");
        Matcher m = Pattern.compile("\"" + name + "\": \"([^\"]*)\"").matcher(json);
        assertThat(m.find(at)).as(block + "." + name).isTrue();
        return m.group(1);
    }

    private static String vectors() throws IOException {
        return Files.readString(SharedData.require("libp2p/peer-id-key-vectors.json"));
    }

    @Test
    void ed25519PrivateKeyDerivesPublicKeyAndPeerId() throws IOException {
        String json = vectors();
        byte[] priv = HEX.parseHex(field(json, "Ed25519", "private_key_protobuf_hex"));
        Ed25519KeyPair kp = Ed25519KeyPair.fromProtobuf(priv);
        assertThat(HEX.formatHex(kp.publicKey().toProtobuf()))
                .isEqualTo(field(json, "Ed25519", "public_key_protobuf_hex"));
        assertThat(kp.toProtobuf()).isEqualTo(priv);
        assertThat(kp.peerId().toBase58())
                .isEqualTo("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq")
                .isEqualTo(field(json, "Ed25519", "derived_peer_id_base58"));
        assertThat(HEX.formatHex(kp.peerId().toBytes()))
                .isEqualTo(field(json, "Ed25519", "derived_peer_id_multihash_hex"));
    }

    @Test
    void otherKeyTypesHashToTheirPeerIds() throws IOException {
        String json = vectors();
        for (String type : new String[] {"Secp256k1", "ECDSA", "RSA"}) {
            PublicKey key =
                    PublicKey.fromProtobuf(
                            HEX.parseHex(field(json, type, "public_key_protobuf_hex")));
            PeerId id = key.toPeerId();
            assertThat(id.toBase58())
                    .as(type)
                    .isEqualTo(field(json, type, "derived_peer_id_base58"));
            assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
            assertThat(PeerId.parse(id.toCidString())).isEqualTo(id);
        }
    }

    @Test
    void cidFormRoundTrips() {
        PeerId id = PeerId.parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
        assertThat(id.toCidString()).startsWith("bafzaa");
        assertThat(PeerId.parse(id.toCidString())).isEqualTo(id);
        assertThat(id.inlinedPublicKey()).isNotNull();
        assertThat(id.matches(id.inlinedPublicKey())).isTrue();
    }

    @Test
    void rejectsMalformedPeerIds() {
        assertThatThrownBy(() -> PeerId.parse("12D3KooW0"))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("invalid base58btc character '0'");
        // A CIDv1 with the raw codec (0x55) is not a peer id.
        assertThatThrownBy(
                        () ->
                                PeerId.parse(
                                        "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"))
                .hasMessageStartingWith("peer id CID must have codec libp2p-key (0x72), got 0x55");
        assertThatThrownBy(() -> PeerId.fromBytes(HEX.parseHex("1103aabbcc")))
                .hasMessage("invalid peer id: multihash code 0x11 (must be identity or sha2-256)");
    }

    @Test
    void signsAndVerifies() {
        Ed25519KeyPair kp = Ed25519KeyPair.generate(new java.security.SecureRandom());
        byte[] msg = "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] sig = kp.sign(msg);
        assertThat(kp.publicKey().verify(msg, sig)).isTrue();
        sig[3] ^= 1;
        assertThat(kp.publicKey().verify(msg, sig)).isFalse();
    }
}
