package io.ipdm.lakes.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one path from the DHT to the engine (what {@code ipdm node} and the simulator both run): a
 * peer is up once a connection to it is identified as speaking the protocol and down when it goes;
 * the routing table's peers that are not connected are dialed, a bounded number per poll.
 */
class PeerFeedTest {
    private static PeerId peer(int i) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) (i + 1));
        return Ed25519KeyPair.fromSeed(seed).peerId();
    }

    private long now = EngineNet.T0;

    private DurabilityEngine engine(PeerId self) {
        InstantSource clock =
                new InstantSource() {
                    @Override
                    public Instant instant() {
                        return Instant.ofEpochMilli(now);
                    }

                    @Override
                    public long millis() {
                        return now;
                    }
                };
        DurabilityEngine e =
                new DurabilityEngine(
                        self,
                        DurabilityConfig.builder().build(),
                        DurabilityCodec.defaults(),
                        new EngineNet.MapBlocks(),
                        clock,
                        new SplittableRandom(1));
        e.start(List.of());
        e.drainActions();
        return e;
    }

    @Test
    void peersComeFromIdentifiedConnectionsAndTheTableIsDialedInBoundedSteps() {
        PeerId self = peer(0);
        DurabilityEngine e = engine(self);
        PeerFeed feed = new PeerFeed(e, 3);

        List<PeerId> table = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            table.add(peer(i));
        }
        Set<PeerId> connected = Set.of(peer(2));
        List<PeerId> dial = feed.routingTable(table, connected::contains);
        // not connected, not up: dialed, three at most; the connected one waits for identify
        assertThat(dial).containsExactly(peer(1), peer(3), peer(4));
        assertThat(e.livePeers()).isZero();

        feed.identified(peer(1), true);
        feed.identified(peer(2), true);
        feed.identified(peer(9), false); // a gateway-only node: connected, stores nothing
        feed.identified(self, true);
        assertThat(e.livePeers()).isEqualTo(2);
        assertThat(feed.upCount()).isEqualTo(2);
        assertThat(feed.isUp(peer(9))).isFalse();

        // the next poll dials what is still missing, passing over the peers just dialed (3 and 4
        // did not come up: dead entries at the head of the table must not take every dial)
        now += 2_000;
        assertThat(feed.routingTable(table, connected::contains)).containsExactly(peer(5));
        now += PeerFeed.DIAL_BACKOFF_MILLIS - 4_000;
        assertThat(feed.routingTable(table, connected::contains)).isEmpty();
        // after the back-off they are dialed again
        now += 2_000;
        assertThat(feed.routingTable(table, connected::contains)).containsExactly(peer(3), peer(4));
        now += 2_000;
        assertThat(feed.routingTable(table, connected::contains)).containsExactly(peer(5));

        feed.disconnected(peer(1));
        feed.disconnected(peer(7)); // never up: nothing to tell
        assertThat(e.livePeers()).isEqualTo(1);
        assertThat(feed.isUp(peer(1))).isFalse();
        assertThat(feed.routingSize()).isEqualTo(5);
    }

    @Test
    void theTableFollowsThePollsAsASetAndDialsAreBounded() {
        PeerId self = peer(0);
        DurabilityEngine e = engine(self);
        PeerFeed feed = new PeerFeed(e, 16);
        feed.routingTable(List.of(peer(1), peer(2)), p -> true);
        assertThat(feed.routingSize()).isEqualTo(2);
        assertThat(feed.routingTable(List.of(peer(2), peer(1)), p -> true)).isEmpty();
        assertThat(feed.routingSize()).isEqualTo(2);
        feed.routingTable(List.of(peer(1), peer(3)), p -> true);
        assertThat(feed.routingSize()).isEqualTo(2);
        feed.routingTable(List.of(peer(1)), p -> true);
        assertThat(feed.routingSize()).isEqualTo(1);

        assertThatThrownBy(() -> new PeerFeed(e, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxDialsPerPoll must be positive");
    }
}
