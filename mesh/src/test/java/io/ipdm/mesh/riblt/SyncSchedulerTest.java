package io.ipdm.mesh.riblt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SyncSchedulerTest {
    private final SyncScheduler s =
            new SyncScheduler(30_000, 1_000, 5_000, 60_000, new Random(1), 0);

    @Test
    void aDialedPeerIsSyncedAfterTheConnectDelayAndOnlyOnceAtATime() {
        s.connected("A", true, 0);
        s.connected("B", false, 0);
        assertThat(s.due(500)).isEmpty();
        assertThat(s.nextWakeup(500)).isEqualTo(1_000);
        assertThat(s.due(1_000)).containsExactly("A");
        assertThat(s.due(1_001)).isEmpty();
        s.finished("A", true, 2_000);
        assertThat(s.due(2_001)).isEmpty();
    }

    @Test
    void everyIntervalOneIdleConnectedPeerIsPicked() {
        s.connected("A", false, 0);
        s.connected("B", false, 0);
        assertThat(s.due(29_999)).isEmpty();
        assertThat(s.nextWakeup(0)).isEqualTo(30_000);
        String first = s.due(30_000).getFirst();
        assertThat(first).isIn("A", "B");
        // the next round picks the other one: the first is still in flight
        String second = s.due(60_000).getFirst();
        assertThat(second).isNotEqualTo(first);
        assertThat(s.due(90_000)).isEmpty(); // both busy
    }

    @Test
    void failuresBackOffDoublingUpToTheMaximum() {
        s.connected("A", true, 0);
        assertThat(s.due(1_000)).containsExactly("A");
        s.finished("A", false, 1_000);
        s.connected("A", true, 1_000); // reconnects at once
        assertThat(s.due(2_000)).isEmpty();
        assertThat(s.due(6_000)).containsExactly("A"); // 5 s backoff
        s.finished("A", false, 6_000);
        s.connected("A", true, 6_000);
        assertThat(s.due(15_999)).isEmpty();
        assertThat(s.due(16_000)).containsExactly("A"); // 10 s
        s.finished("A", true, 16_000);
        s.connected("A", true, 16_000);
        assertThat(s.due(17_000)).containsExactly("A"); // success resets it
    }

    @Test
    void aDisconnectedPeerIsForgottenOnceItsSessionEnds() {
        s.connected("A", true, 0);
        assertThat(s.due(1_000)).containsExactly("A");
        s.disconnected("A");
        assertThat(s.peers()).isEmpty();
        s.finished("A", false, 2_000);
        assertThat(s.due(30_000)).isEmpty();
    }
}
