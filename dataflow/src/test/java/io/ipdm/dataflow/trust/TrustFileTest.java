package io.ipdm.dataflow.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.dataflow.yaml.YamlException;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.TrustList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustFileTest {
    private final Ed25519KeyPair a = Ed25519KeyPair.generate();
    private final Ed25519KeyPair b = Ed25519KeyPair.generate();
    private final Ed25519KeyPair c = Ed25519KeyPair.generate();

    @Test
    void readsPeerIdsAndBothPublicKeyForms(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("keys.yaml");
        Files.writeString(
                f,
                "keys:\n"
                        + "  - name: alice\n"
                        + "    peer_id: "
                        + a.peerId()
                        + "\n"
                        + "    roles: [subscribe, \"publish:/ipdm/rows\"]\n"
                        + "  - name: bob\n"
                        + "    public_key: "
                        + Base64.getEncoder().encodeToString(b.publicKey().toProtobuf())
                        + "\n"
                        + "  - name: carol\n"
                        + "    public_key: "
                        + HexFormat.of().formatHex(c.publicKey().data())
                        + "\n"
                        + "    roles: attest\n");
        TrustList t = TrustFile.read(f);
        assertThat(t.entries())
                .extracting(TrustList.Entry::name)
                .containsExactly("alice", "bob", "carol");
        assertThat(t.trusts(a.peerId(), "subscribe")).isTrue();
        assertThat(t.trusts(a.peerId(), "publish:/ipdm/rows")).isTrue();
        assertThat(t.trusts(a.peerId(), "attest")).isFalse();
        assertThat(t.trusts(b.peerId(), "attest")).isTrue(); // no roles: all
        assertThat(t.trusts(c.peerId(), "attest")).isTrue();
        assertThat(t.trusts(c.peerId(), "subscribe")).isFalse();
        assertThat(t.entry(a.peerId()).orElseThrow().origin()).isEqualTo(f + ":2:5");
    }

    private static void fails(String yaml, String message) {
        assertThatThrownBy(() -> TrustFile.parse(yaml, "keys.yaml"))
                .isInstanceOf(YamlException.class)
                .hasMessage(message);
    }

    @Test
    void mistakesArePositioned() {
        PeerId p = a.peerId();
        fails(
                "- name: x\n",
                "keys.yaml:1:1: a trust file is a map with a `keys:` list, got a list");
        fails(
                "keys:\n  alice: {}\n",
                "keys.yaml:2:3: keys: expected a list, got a map; did you miss a dash `-`?");
        fails("key: []\n", "keys.yaml:1:1: unknown key 'key'; keys: keys");
        fails(
                "keys:\n  - name: x\n    peer: " + p + "\n",
                "keys.yaml:3:5: unknown key 'peer'; keys: name, peer_id, public_key, roles");
        fails(
                "keys:\n  - name: x\n",
                "keys.yaml:2:5: trusted key 'x': give exactly one of peer_id and public_key");
        fails("keys:\n  - peer_id: " + p + "\n", "keys.yaml:2:5: trusted key: missing `name:`");
        fails(
                "keys:\n  - name: x\n    peer_id: " + p + "\n    roles: [attest, publsh]\n",
                "keys.yaml:4:21: roles: unknown permission 'publsh'; permissions: all, subscribe,"
                        + " attest, publish, publish:<topic>");
        assertThatThrownBy(
                        () ->
                                TrustFile.parse(
                                        "keys:\n  - name: x\n    peer_id: 12D3Koonope\n",
                                        "keys.yaml"))
                .hasMessageStartingWith(
                        "keys.yaml:3:14: peer_id: '12D3Koonope' is not a peer id (");
        fails(
                "keys:\n  - name: x\n    peer_id: " + p + "\n  - name: y\n    peer_id: " + p + "\n",
                "keys.yaml:4:5: key "
                        + p
                        + " is already trusted as 'x' (keys.yaml:2:5); list each key once");
        fails(
                "keys:\n  - name: x\n    public_key: zzzz\n",
                "keys.yaml:3:17: public_key: not a base64 libp2p PublicKey protobuf nor 64 hex digits"
                        + " of an Ed25519 key (PublicKey: unsupported wire type 7 in field 969)");
    }

    @Test
    void aMissingFileSaysSo(@TempDir Path dir) {
        assertThatThrownBy(() -> TrustFile.read(dir.resolve("nope.yaml")))
                .isInstanceOf(YamlException.class)
                .hasMessage(
                        dir.resolve("nope.yaml")
                                + ": no such trust file; write one as docs/node.md (Identities and trusted keys)"
                                + " shows");
    }
}
