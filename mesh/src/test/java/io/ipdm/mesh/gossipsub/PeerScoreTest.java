package io.ipdm.mesh.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import org.junit.jupiter.api.Test;

class PeerScoreTest {
    private final PeerId a = Ed25519KeyPair.generate().peerId();
    private final PeerId b = Ed25519KeyPair.generate().peerId();
    private final PeerId c = Ed25519KeyPair.generate().peerId();

    @Test
    void applicationScoreIsWeighted() {
        PeerScore s = new PeerScore(ScoreParams.defaults(), () -> 0);
        s.setAppScore(a, -30);
        assertThat(s.score(a)).isEqualTo(-30.0);
        assertThat(s.score(b)).isZero();
        s.setAppScore(a, 0);
        assertThat(s.score(a)).isZero();
    }

    @Test
    void ipColocationPenalisesPeersBeyondTheThreshold() {
        PeerScore off = new PeerScore(ScoreParams.defaults(), () -> 0);
        PeerScore s = new PeerScore(ScoreParams.defaults().withIpColocation(-5, 1), () -> 0);
        for (PeerScore x : new PeerScore[] {off, s}) {
            x.setIp(a, "10.0.0.1");
            x.setIp(b, "10.0.0.1");
            x.setIp(c, "10.0.0.1");
        }
        assertThat(off.score(a)).isZero(); // P6 is off by default
        assertThat(s.score(a)).isEqualTo(-5.0 * 2 * 2); // three on one address, threshold 1
        s.setIp(c, null);
        assertThat(s.score(b)).isEqualTo(-5.0);
        s.setIp(b, "10.0.0.2");
        assertThat(s.score(a)).isZero();
        assertThat(s.score(b)).isZero();
    }

    @Test
    void ipColocationWeightMustNotBePositive() {
        assertThatThrownBy(() -> ScoreParams.defaults().withIpColocation(1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("P3, P3b, P4, P6 and P7 weights must be negative or zero");
    }
}
