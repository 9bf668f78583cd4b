package io.ipdm.lakes.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttestationTest {
    static final Cid JOB = Cid.sha256(Multicodec.DAG_CBOR, new byte[] {1});
    static final Cid GOOD = Cid.sha256(Multicodec.DAG_CBOR, new byte[] {2});
    static final Cid BAD = Cid.sha256(Multicodec.DAG_CBOR, new byte[] {3});

    static Attestation at(Cid root, long time) {
        return new Attestation(JOB, "out", 0, 60_000, root, 10, time);
    }

    @Test
    void roundTripsThroughASignedRecord() {
        Ed25519KeyPair k = Ed25519KeyPair.generate();
        SignedRecord r = at(GOOD, 1000).sign(k);
        SignedRecord back = SignedRecord.decode(r.encoded(), Attestation.MAX_VALUE);
        assertThat(back.verify()).isTrue();
        assertThat(Attestation.of(back)).isEqualTo(at(GOOD, 1000));
        assertThat(back.keyText()).isEqualTo("ipdm/attest/v1/" + JOB + "/out/0/60000");
        assertThat(back.version()).isEqualTo(1000);
    }

    @Test
    void refusesAKeyThatNamesAnotherWindow() {
        Ed25519KeyPair k = Ed25519KeyPair.generate();
        byte[] value = SignedRecord.decode(at(GOOD, 5).sign(k).encoded(), 4096).value();
        SignedRecord lying =
                SignedRecord.sign(
                        k,
                        ("ipdm/attest/v1/" + JOB + "/out/60000/120000")
                                .getBytes(StandardCharsets.US_ASCII),
                        value,
                        5);
        assertThatThrownBy(() -> Attestation.of(lying))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining(
                        "key does not match the value's window " + JOB + "/out/0/60000");
    }

    @Test
    void refusesAValueWithAWrongType() {
        Ed25519KeyPair k = Ed25519KeyPair.generate();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1L);
        m.put("job", JOB);
        m.put("sink", "out");
        m.put("window_start", 0L);
        m.put("window_end", 60_000L);
        m.put("root", GOOD.toString());
        m.put("rows", 1L);
        m.put("time", 5L);
        SignedRecord r = SignedRecord.sign(k, at(GOOD, 5).key(), DagCbor.encode(m), 5);
        assertThatThrownBy(() -> Attestation.of(r))
                .hasMessageContaining("'root' must be a CID link");
    }

    @Test
    void bookRefusesForgedStaleAndUnknownRecordsAndReportsDissentOnce() {
        Ed25519KeyPair a = Ed25519KeyPair.generate();
        Ed25519KeyPair b = Ed25519KeyPair.generate();
        Ed25519KeyPair c = Ed25519KeyPair.generate();
        Ed25519KeyPair liar = Ed25519KeyPair.generate();
        Ed25519KeyPair stranger = Ed25519KeyPair.generate();
        Set<PeerId> trusted = Set.of(a.peerId(), b.peerId(), c.peerId(), liar.peerId());
        AttestationBook book = new AttestationBook(new Quorum(2), trusted::contains);
        List<String> dissent = new ArrayList<>();
        book.listen(
                new AttestationBook.Listener() {
                    @Override
                    public void dissent(PeerId d, Attestation theirs, Cid majority) {
                        dissent.add(d + " " + theirs.root() + " vs " + majority);
                    }
                });

        assertThat(book.offer(at(GOOD, 10).sign(a)).accepted()).isTrue();
        assertThat(book.status(GOOD).state()).isEqualTo(Quorum.State.PENDING);
        assertThat(book.offer(at(BAD, 11).sign(liar)).accepted()).isTrue();
        assertThat(book.status(GOOD).state()).isEqualTo(Quorum.State.DISPUTED);
        assertThat(dissent).isEmpty();
        assertThat(book.offer(at(GOOD, 12).sign(b)).accepted()).isTrue();
        assertThat(book.status(GOOD).state()).isEqualTo(Quorum.State.VERIFIED);
        assertThat(book.status(BAD).state()).isEqualTo(Quorum.State.DISPUTED);
        assertThat(dissent).containsExactly(liar.peerId() + " " + BAD + " vs " + GOOD);
        book.offer(at(GOOD, 13).sign(c));
        assertThat(dissent).hasSize(1);

        // an unauthorized key's attestations are kept but never count
        book.offer(at(BAD, 14).sign(stranger));
        assertThat(book.status(BAD).windows().get(0).verdict().unauthorized())
                .containsExactly(stranger.peerId());
        assertThat(book.status(BAD).windows().get(0).verdict().attesting(BAD))
                .containsExactly(liar.peerId());

        // a replay of an older version, a forgery and a non-attestation are refused with reasons
        book.offer(at(BAD, 20).sign(a));
        AttestationBook.Offered stale = book.offer(at(GOOD, 10).sign(a));
        assertThat(stale.accepted()).isFalse();
        assertThat(stale.reason()).contains("replay of an old version, v20 is held");
        byte[] forged = at(GOOD, 30).sign(a).encoded();
        forged[forged.length - 1] ^= 1;
        AttestationBook.Offered f = book.offer(SignedRecord.decode(forged, 4096));
        assertThat(f.accepted()).isFalse();
        assertThat(f.reason()).contains("signature does not verify");
        AttestationBook.Offered other =
                book.offer(
                        SignedRecord.sign(
                                a,
                                "ipdm/sub/x".getBytes(StandardCharsets.US_ASCII),
                                new byte[0],
                                1));
        assertThat(other.reason()).contains("not an attestation");
    }

    @Test
    void rootStatusChecksSignaturesItself() {
        Ed25519KeyPair a = Ed25519KeyPair.generate();
        byte[] forged = at(GOOD, 30).sign(a).encoded();
        forged[forged.length - 1] ^= 1;
        RootStatus s =
                RootStatus.judge(
                        GOOD, List.of(SignedRecord.decode(forged, 4096)), p -> true, new Quorum(1));
        assertThat(s.state()).isEqualTo(Quorum.State.PENDING);
        assertThat(s.refused()).singleElement().asString().contains("signature does not verify");
        assertThat(
                        RootStatus.judge(
                                        GOOD,
                                        List.of(at(GOOD, 1).sign(a)),
                                        p -> true,
                                        new Quorum(1))
                                .state())
                .isEqualTo(Quorum.State.VERIFIED);
    }
}
