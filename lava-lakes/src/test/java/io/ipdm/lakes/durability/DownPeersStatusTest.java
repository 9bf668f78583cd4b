package io.ipdm.lakes.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.durability.EngineNet.Node;
import io.ipdm.multiformats.Cid;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A holder that crashes stays in the status view as {@code DOWN}, with since when and its last
 * claim, while the next server repairs the root; it leaves the view when it returns or after {@link
 * DownPeers#FORGET_AFTER}. Virtual time: the forgetting is exact.
 */
class DownPeersStatusTest {
    private static final List<Block> DAG = EngineNet.dag("down", 3);
    private static final Cid ROOT = DAG.getFirst().cid();

    private static EngineNet placed() {
        EngineNet net = new EngineNet(6, EngineNet.quick());
        Node origin = net.byDistance(ROOT).get(0);
        DAG.forEach(origin::put);
        net.publish(net.subscribe("s", List.of(ROOT), 3, 1));
        origin.engine.blockAdded(ROOT);
        net.settle();
        net.advance(60_000);
        return net;
    }

    private static Optional<RootStatus.Server> server(Node viewer, Node of) {
        return viewer.engine.status(ROOT).order().stream()
                .filter(s -> s.peer().equals(of.id))
                .findFirst();
    }

    @Test
    void aCrashedHolderShowsDownWithSinceAndItsClaimUntilForgotten() {
        EngineNet net = placed();
        List<Node> order = net.byDistance(ROOT);
        Node viewer = order.get(0);
        Node dead = order.get(1);
        Node reserve = order.get(3);
        long claimed = server(viewer, dead).orElseThrow().claimsAtMillis();
        assertThat(claimed).as("the holder claimed the root before the crash").isPositive();
        assertThat(server(viewer, reserve).orElseThrow().role()).isEqualTo(RootStatus.Role.RESERVE);

        long crashedAt = net.now;
        net.crash(dead);
        RootStatus.Server d = server(viewer, dead).orElseThrow();
        assertThat(d.role()).isEqualTo(RootStatus.Role.DOWN);
        assertThat(d.downSinceMillis()).isEqualTo(crashedAt);
        assertThat(d.claimsAtMillis()).isEqualTo(claimed);
        assertThat(viewer.engine.departed())
                .singleElement()
                .satisfies(
                        x -> {
                            assertThat(x.peer()).isEqualTo(dead.id);
                            assertThat(x.sinceMillis()).isEqualTo(crashedAt);
                            assertThat(x.held()).containsExactly(ROOT);
                        });

        // the repair goes on in view: the reserve is active and holds it, the dead one still shows
        net.advance(30_000);
        RootStatus st = viewer.engine.status(ROOT);
        assertThat(st.holders()).isEqualTo(3);
        assertThat(server(viewer, reserve).orElseThrow().role()).isEqualTo(RootStatus.Role.ACTIVE);
        assertThat(server(viewer, dead).orElseThrow().role()).isEqualTo(RootStatus.Role.DOWN);

        // forgotten after FORGET_AFTER, not before
        net.advance(DownPeers.FORGET_AFTER.toMillis() - 30_000 - 1000);
        assertThat(server(viewer, dead)).isPresent();
        net.advance(1000);
        assertThat(server(viewer, dead)).isEmpty();
        assertThat(viewer.engine.departed()).isEmpty();
    }

    @Test
    void aHolderThatReturnsLeavesTheDownList() {
        EngineNet net = placed();
        List<Node> order = net.byDistance(ROOT);
        Node viewer = order.get(0);
        Node dead = order.get(2);
        net.crash(dead);
        assertThat(server(viewer, dead).orElseThrow().role()).isEqualTo(RootStatus.Role.DOWN);
        net.down.remove(dead.id);
        viewer.engine.peerUp(dead.id);
        net.settle();
        assertThat(server(viewer, dead).orElseThrow().downSinceMillis()).isZero();
        assertThat(server(viewer, dead).orElseThrow().role()).isNotEqualTo(RootStatus.Role.DOWN);
        assertThat(viewer.engine.departed()).isEmpty();
    }

    @Test
    void aPeerThatWasNoServerOfTheRootIsListedDownWithNothingHeld() {
        EngineNet net = placed();
        List<Node> order = net.byDistance(ROOT);
        Node viewer = order.get(0);
        Node far = order.get(5);
        net.crash(far);
        assertThat(viewer.engine.departed())
                .singleElement()
                .satisfies(x -> assertThat(x.held()).isEmpty());
        assertThat(server(viewer, far)).as("not in this root's view").isEmpty();
    }
}
