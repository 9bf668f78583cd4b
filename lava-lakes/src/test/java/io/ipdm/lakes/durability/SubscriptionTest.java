package io.ipdm.lakes.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.durability.DurabilityEvent.Kind;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
    static Ed25519KeyPair key(int i) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) i);
        return Ed25519KeyPair.fromSeed(seed);
    }

    static Cid cid(String s) {
        return Cid.sha256(Multicodec.RAW, s.getBytes(StandardCharsets.UTF_8));
    }

    private final Ed25519KeyPair alice = key(1);
    private final Ed25519KeyPair mallory = key(2);
    private final Cid a = cid("a");
    private final Cid b = cid("b");

    @Test
    void canonicalEncodingRoundTripsAndRefusesOthers() {
        Subscription s =
                new Subscription("lake-1", List.of(b, a, a), 3, List.of(key(3).peerId()), "");
        assertThat(s.roots()).hasSize(2).isSorted();
        assertThat(Subscription.decode(s.encode())).isEqualTo(s);
        SignedRecord r = s.sign(alice, 4);
        assertThat(r.keyText()).isEqualTo("lake-1");
        assertThat(Subscription.of(r)).isEqualTo(s);

        byte[] unsorted =
                new ProtoWriter()
                        .string(1, "x")
                        .bytes(2, s.roots().get(1).toBytes())
                        .bytes(2, s.roots().get(0).toBytes())
                        .uint64(3, 1)
                        .toByteArray();
        assertThatThrownBy(() -> Subscription.decode(unsorted))
                .hasMessage(
                        "subscription x: not the canonical encoding (fields out of order,"
                                + " duplicates or unsorted roots/servers)");
        assertThatThrownBy(() -> new Subscription("x", List.of(a), 0, List.of(), ""))
                .hasMessage("subscription x: factor must be 1..64, got 0");
        SignedRecord wrongKey = SignedRecord.sign(alice, "other".getBytes(), s.encode(), 1);
        assertThatThrownBy(() -> Subscription.of(wrongKey))
                .hasMessage(
                        "subscription lake-1: carried under record key 'other'; the key must be the"
                                + " subscription id");
    }

    @Test
    void versionRulesAllowListAndForgeries() {
        SubscriptionBook book = new SubscriptionBook(Set.of(alice.peerId()));
        Subscription v1 = new Subscription("s", List.of(a), 2, List.of(), "");
        SubscriptionBook.Result r1 = book.put(v1.sign(alice, 1));
        assertThat(r1.accepted()).isTrue();
        assertThat(r1.kind()).isEqualTo(Kind.SUBSCRIPTION_ACCEPTED);
        assertThat(r1.changedRoots()).containsExactly(a);
        assertThat(book.refCount(a)).isEqualTo(1);

        // Unauthorized author: refused, reported, nothing counted.
        SubscriptionBook.Result bad = book.put(v1.sign(mallory, 9));
        assertThat(bad.accepted()).isFalse();
        assertThat(bad.kind()).isEqualTo(Kind.SUBSCRIPTION_UNAUTHORIZED);
        assertThat(bad.message())
                .contains(
                        "is not on this node's allow-list; refused (list the key with the"
                                + " subscribe role in the node's --trust keys.yaml and restart it)");

        // Higher version wins and moves the reference from a to b.
        Subscription v2 = new Subscription("s", List.of(b), 2, List.of(), "");
        SubscriptionBook.Result r2 = book.put(v2.sign(alice, 2));
        assertThat(r2.accepted()).isTrue();
        assertThat(r2.changedRoots()).containsExactlyInAnyOrder(a, b);
        assertThat(book.refCount(a)).isZero();
        assertThat(book.refCount(b)).isEqualTo(1);

        // Replay of v1: ignored, nothing to report.
        SubscriptionBook.Result replay = book.put(v1.sign(alice, 1));
        assertThat(replay.accepted()).isFalse();
        assertThat(replay.kind()).isNull();
        assertThat(replay.message()).contains("replay of an old version, v2 is held");
        assertThat(book.refCount(b)).isEqualTo(1);

        // Same version, different content: conflict, reported, the held one stays.
        Subscription other = new Subscription("s", List.of(a, b), 3, List.of(), "");
        SubscriptionBook.Result conflict = book.put(other.sign(alice, 2));
        assertThat(conflict.kind()).isEqualTo(Kind.SUBSCRIPTION_CONFLICT);
        assertThat(conflict.message()).contains("version reused with different content");
        assertThat(book.refCount(a)).isZero();
        assertThat(book.conflicts()).hasSize(1);

        // Forged: alice's record with the value swapped keeps alice as author but breaks the
        // signature.
        SignedRecord good = other.sign(alice, 3);
        byte[] enc = good.encoded();
        byte[] forgedBytes = enc.clone();
        // flip the factor byte inside the value (3 -> 4): same length, canonical, bad signature
        int at = indexOf(forgedBytes, new byte[] {0x18, 0x03});
        forgedBytes[at + 1] = 0x04;
        SignedRecord forged = SignedRecord.decode(forgedBytes, 1 << 16);
        SubscriptionBook.Result f = book.put(forged);
        assertThat(f.kind()).isEqualTo(Kind.SUBSCRIPTION_FORGED);
        assertThat(f.accepted()).isFalse();
        assertThat(book.refCount(a)).isZero();

        // Malformed value from an allowed author.
        SubscriptionBook.Result m =
                book.put(SignedRecord.sign(alice, "s".getBytes(), new byte[] {1, 2, 3}, 5));
        assertThat(m.kind()).isEqualTo(Kind.SUBSCRIPTION_MALFORMED);

        // An empty version unsubscribes.
        SubscriptionBook.Result gone =
                book.put(new Subscription("s", List.of(), 1, List.of(), "").sign(alice, 4));
        assertThat(gone.accepted()).isTrue();
        assertThat(book.refCount(b)).isZero();
        assertThat(book.roots()).isEmpty();
    }

    @Test
    void referencesCountAcrossSubscriptions() {
        SubscriptionBook book = new SubscriptionBook(Set.of(alice.peerId(), key(3).peerId()));
        book.put(new Subscription("one", List.of(a, b), 2, List.of(), "").sign(alice, 1));
        book.put(new Subscription("two", List.of(a), 3, List.of(), "").sign(alice, 1));
        book.put(new Subscription("one", List.of(a), 3, List.of(), "").sign(key(3), 1));
        assertThat(book.refCount(a)).isEqualTo(3);
        assertThat(book.refCount(b)).isEqualTo(1);
        book.put(new Subscription("one", List.of(), 2, List.of(), "").sign(alice, 2));
        assertThat(book.refCount(a)).isEqualTo(2);
        assertThat(book.refCount(b)).isZero();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
