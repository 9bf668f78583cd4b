package io.ipdm.lakes.verify;

import static io.ipdm.lakes.verify.AttestationTest.BAD;
import static io.ipdm.lakes.verify.AttestationTest.GOOD;
import static io.ipdm.lakes.verify.AttestationTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumTest {
    final PeerId a = Ed25519KeyPair.generate().peerId();
    final PeerId b = Ed25519KeyPair.generate().peerId();
    final PeerId c = Ed25519KeyPair.generate().peerId();
    final PeerId d = Ed25519KeyPair.generate().peerId();

    @Test
    void verifiedNeedsQDistinctAuthorizedKeys() {
        Quorum q = new Quorum(3);
        Quorum.Verdict two =
                q.judge(
                        List.of(
                                new Quorum.Vote(a, at(GOOD, 1)),
                                new Quorum.Vote(a, at(GOOD, 2)),
                                new Quorum.Vote(b, at(GOOD, 1))),
                        p -> true);
        assertThat(two.state(GOOD)).isEqualTo(Quorum.State.PENDING);
        Quorum.Verdict unauthorized =
                q.judge(
                        List.of(
                                new Quorum.Vote(a, at(GOOD, 1)),
                                new Quorum.Vote(b, at(GOOD, 1)),
                                new Quorum.Vote(c, at(GOOD, 1))),
                        p -> !p.equals(c));
        assertThat(unauthorized.state(GOOD)).isEqualTo(Quorum.State.PENDING);
        assertThat(unauthorized.unauthorized()).containsExactly(c);
        Quorum.Verdict three =
                q.judge(
                        List.of(
                                new Quorum.Vote(a, at(GOOD, 1)),
                                new Quorum.Vote(b, at(GOOD, 1)),
                                new Quorum.Vote(c, at(GOOD, 1))),
                        p -> true);
        assertThat(three.state(GOOD)).isEqualTo(Quorum.State.VERIFIED);
        assertThat(three.dissenters()).isEmpty();
    }

    @Test
    void theMinorityIsDisputedAndNamedAsDissenters() {
        Quorum.Verdict v =
                new Quorum(2)
                        .judge(
                                List.of(
                                        new Quorum.Vote(d, at(BAD, 1)),
                                        new Quorum.Vote(a, at(GOOD, 1)),
                                        new Quorum.Vote(b, at(GOOD, 1)),
                                        new Quorum.Vote(c, at(GOOD, 1))),
                                p -> true);
        assertThat(v.majority()).isEqualTo(GOOD);
        assertThat(v.state(GOOD)).isEqualTo(Quorum.State.VERIFIED);
        assertThat(v.state(BAD)).isEqualTo(Quorum.State.DISPUTED);
        assertThat(v.dissenters()).containsExactly(d);
        assertThat(v.byRoot().keySet()).containsExactly(GOOD, BAD);
    }

    @Test
    void aTieHasNoMajorityAndDisputesBoth() {
        Quorum.Verdict v =
                new Quorum(1)
                        .judge(
                                List.of(
                                        new Quorum.Vote(a, at(GOOD, 1)),
                                        new Quorum.Vote(b, at(BAD, 1))),
                                p -> true);
        assertThat(v.majority()).isNull();
        assertThat(v.state(GOOD)).isEqualTo(Quorum.State.DISPUTED);
        assertThat(v.state(BAD)).isEqualTo(Quorum.State.DISPUTED);
        assertThat(v.dissenters()).isEmpty();
    }
}
