package io.ipdm.mesh.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordStoreTest {
    private static final byte[] SEED = new byte[32];
    private final Ed25519KeyPair alice = Ed25519KeyPair.fromSeed(SEED);
    private final Ed25519KeyPair mallory = Ed25519KeyPair.fromSeed(seed(9));
    private final RecordStore store = new RecordStore();

    private static byte[] seed(int b) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) b);
        return s;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void highestVersionWinsPerAuthorAndKey() {
        SignedRecord v1 = SignedRecord.sign(alice, utf8("k"), utf8("one"), 1);
        SignedRecord v2 = SignedRecord.sign(alice, utf8("k"), utf8("two"), 2);
        SignedRecord other = SignedRecord.sign(mallory, utf8("k"), utf8("m"), 1);
        assertThat(store.put(v1).outcome()).isEqualTo(PutResult.Outcome.ACCEPTED);
        assertThat(store.put(other).outcome()).isEqualTo(PutResult.Outcome.ACCEPTED);
        assertThat(store.put(v2).outcome()).isEqualTo(PutResult.Outcome.ACCEPTED);
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.latest(alice.publicKey(), utf8("k")).value()).isEqualTo(utf8("two"));
        assertThat(store.get(v1.digest())).isNull();
        assertThat(store.get(v2.digest()).version()).isEqualTo(2);
        assertThat(store.digests()).hasSize(2);
    }

    @Test
    void replayOfAnOlderVersionIsIgnoredWithAReason() {
        SignedRecord v1 = SignedRecord.sign(alice, utf8("k"), utf8("one"), 1);
        SignedRecord v5 = SignedRecord.sign(alice, utf8("k"), utf8("five"), 5);
        store.put(v5);
        PutResult r = store.put(v1);
        assertThat(r.outcome()).isEqualTo(PutResult.Outcome.STALE);
        assertThat(r.reason())
                .isEqualTo(
                        "record k v1 by "
                                + alice.peerId()
                                + ": replay of an old version, v5 is held; ignored");
        assertThat(store.latest(alice.publicKey(), utf8("k")).version()).isEqualTo(5);
        assertThat(store.put(v5).outcome()).isEqualTo(PutResult.Outcome.DUPLICATE);
    }

    @Test
    void aVersionReusedWithDifferentContentIsRefusedAndReported() {
        SignedRecord a = SignedRecord.sign(alice, utf8("k"), utf8("a"), 3);
        SignedRecord b = SignedRecord.sign(alice, utf8("k"), utf8("b"), 3);
        store.put(a);
        PutResult r = store.put(b);
        assertThat(r.outcome()).isEqualTo(PutResult.Outcome.CONFLICT);
        assertThat(r.reason()).contains("version reused with different content");
        assertThat(store.conflicts()).containsExactly(r);
        assertThat(store.latest(alice.publicKey(), utf8("k")).value()).isEqualTo(utf8("a"));
    }

    @Test
    void forgedSignaturesAreRefused() {
        SignedRecord good = SignedRecord.sign(alice, utf8("k"), utf8("v"), 1);
        byte[] bytes = good.encoded();
        bytes[bytes.length - 1] ^= 1; // a signature bit
        SignedRecord forged = SignedRecord.decode(bytes, 1024);
        PutResult r = store.put(forged);
        assertThat(r.outcome()).isEqualTo(PutResult.Outcome.FORGED);
        assertThat(r.reason())
                .endsWith("signature does not verify against the author key; refused");
        assertThat(store.size()).isZero();

        // Alice's signed record with one byte of its body changed: refused.
        byte[] value = good.encoded();
        int at = indexOf(value, utf8("v"));
        value[at] = 'w';
        assertThat(store.put(SignedRecord.decode(value, 1024)).outcome())
                .isEqualTo(PutResult.Outcome.FORGED);
    }

    @Test
    void recordsRoundTripAndBadBytesAreRefused() {
        SignedRecord r = SignedRecord.sign(alice, utf8("key"), new byte[100], 7);
        SignedRecord back = SignedRecord.decode(r.encoded(), 1024);
        assertThat(back.digest()).isEqualTo(r.digest());
        assertThat(back.verify()).isTrue();
        assertThatThrownBy(() -> SignedRecord.decode(r.encoded(), 50))
                .isInstanceOf(RecordException.class)
                .hasMessage(
                        "signed record: value of 100 bytes exceeds the limit of 50 bytes"
                                + " (maxValue)");
        byte[] truncated = Arrays.copyOf(r.encoded(), 20);
        assertThatThrownBy(() -> SignedRecord.decode(truncated, 1024))
                .isInstanceOf(RecordException.class)
                .hasMessageStartingWith("signed record:");
        assertThatThrownBy(() -> SignedRecord.decode(new byte[] {0x12, 0}, 1024))
                .hasMessage(
                        "signed record: field 2 where field 1 was expected (not the canonical"
                                + " encoding)");
        assertThatThrownBy(() -> SignedRecord.sign(alice, new byte[0], new byte[0], 1))
                .hasMessage("signed record: key must be 1..1024 bytes, got 0");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = hay.length - 64 - needle.length; i >= 0; i--) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
