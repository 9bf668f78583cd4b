package io.ipdm.mesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrustListTest {
    private final PeerId alice = Ed25519KeyPair.generate().peerId();
    private final PeerId bob = Ed25519KeyPair.generate().peerId();
    private final PeerId eve = Ed25519KeyPair.generate().peerId();

    private final TrustList list =
            TrustList.of(
                    List.of(
                            new TrustList.Entry(
                                    alice, "alice", Set.of(TrustList.ALL), "keys.yaml:2:5"),
                            new TrustList.Entry(
                                    bob,
                                    "bob",
                                    Set.of("attest", "publish:/ipdm/rows"),
                                    "keys.yaml:5:5")));

    @Test
    void answersPerPermission() {
        assertThat(list.trusts(alice, "subscribe")).isTrue();
        assertThat(list.trusts(alice, "publish:/any")).isTrue();
        assertThat(list.trusts(bob, "attest")).isTrue();
        assertThat(list.trusts(bob, "publish:/ipdm/rows")).isTrue();
        assertThat(list.trusts(bob, "publish:/other")).isFalse();
        assertThat(list.trusts(bob, "subscribe")).isFalse();
        assertThat(list.trusts(eve, "attest")).isFalse();
        assertThat(list.peersWith("attest")).containsExactly(alice, bob);
        assertThat(list.peersWith("subscribe")).containsExactly(alice);
        assertThat(list.describe(bob)).isEqualTo("bob (" + bob + ")");
    }

    @Test
    void publishWithoutTopicCoversEveryTopic() {
        TrustList l =
                TrustList.of(List.of(new TrustList.Entry(eve, "eve", Set.of("publish"), "f:1:1")));
        assertThat(l.trusts(eve, "publish:/a")).isTrue();
        assertThat(l.trusts(eve, "attest")).isFalse();
    }

    @Test
    void refusalsSayWhy() {
        assertThat(list.refusal(alice, "attest")).isNull();
        assertThat(list.refusal(bob, "subscribe"))
                .isEqualTo(
                        "'bob' ("
                                + bob
                                + ", keys.yaml:5:5) is trusted for attest, publish:/ipdm/rows, not"
                                + " for subscribe");
        assertThat(list.refusal(eve, "attest"))
                .isEqualTo(eve + " is not a trusted key (2 keys are trusted)");
    }

    @Test
    void duplicatesAndUnknownPermissionsAreRefused() {
        assertThatThrownBy(
                        () ->
                                TrustList.of(
                                        List.of(
                                                new TrustList.Entry(
                                                        alice, "a", Set.of("all"), "f:1:1"),
                                                new TrustList.Entry(
                                                        alice, "b", Set.of("all"), "f:3:1"))))
                .hasMessage(
                        "f:3:1: key "
                                + alice
                                + " is already trusted as 'a' (f:1:1); list each key once");
        assertThatThrownBy(() -> new TrustList.Entry(alice, "a", Set.of("atest"), "f:1:1"))
                .hasMessage(
                        "unknown permission 'atest'; permissions: all, subscribe, attest, publish,"
                                + " publish:<topic>");
    }
}
