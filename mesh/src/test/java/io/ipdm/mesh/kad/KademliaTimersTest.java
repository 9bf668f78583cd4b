package io.ipdm.mesh.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hooks a driver of many engines at virtual time uses (the durability simulator): {@link
 * Kademlia#nextTickAt()} says when {@link Kademlia#tick()} next has work, {@link
 * Kademlia#routingVersion()} changes exactly when the table's members do.
 */
class KademliaTimersTest {
    private final SimNet.Clock clock = new SimNet.Clock();
    private final SplittableRandom random = new SplittableRandom(3);

    private PeerId peer() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return Ed25519KeyPair.fromSeed(seed).peerId();
    }

    @Test
    void nextTickAtIsTheEarliestDeadlineAndRoutingVersionFollowsMembers() {
        KadConfig cfg = KadConfig.defaults();
        Kademlia kad = new Kademlia(peer(), cfg, clock, random);
        long t0 = clock.now;
        // idle: the table refresh (5 min) comes before the record cleanup (1 h)
        assertThat(kad.nextTickAt()).isEqualTo(t0 + cfg.refreshInterval().toMillis());

        long v0 = kad.routingVersion();
        PeerId a = peer();
        List<Multiaddr> addrs = List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/4001"));
        kad.peerIdentified(a, List.of(cfg.protocol()), addrs);
        assertThat(kad.routingVersion()).isEqualTo(v0 + 1);
        kad.peerIdentified(a, List.of(cfg.protocol()), addrs); // a refresh, not a new member
        assertThat(kad.routingVersion()).isEqualTo(v0 + 1);

        // a request in flight: its deadline is the next thing to do
        clock.now += 1000;
        kad.closestPeers(new byte[32], Duration.ofMinutes(1));
        assertThat(kad.drainActions()).hasSize(1);
        assertThat(kad.nextTickAt()).isEqualTo(clock.now + cfg.requestTimeout().toMillis());

        // it times out at that deadline; two failures in a row drop the contact
        clock.now = kad.nextTickAt();
        kad.tick();
        assertThat(kad.routingVersion()).isEqualTo(v0 + 1);
        assertThat(kad.nextTickAt()).isGreaterThan(clock.now);
        kad.closestPeers(new byte[32], Duration.ofMinutes(1));
        kad.drainActions();
        clock.now = kad.nextTickAt();
        kad.tick();
        assertThat(kad.routingTable()).isEmpty();
        assertThat(kad.routingVersion()).isEqualTo(v0 + 2);
    }
}
