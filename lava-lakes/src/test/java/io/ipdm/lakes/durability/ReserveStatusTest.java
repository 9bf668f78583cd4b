package io.ipdm.lakes.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.durability.EngineNet.Node;
import io.ipdm.multiformats.Cid;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The user probe: four storage nodes, a root at factor 3. The reserve (4th in the order) tracks no
 * copy and is sent no claims; its status named the three holders active yet counted "0 holders
 * now", which read as a root nobody holds. It now lists them as the active servers and says it does
 * not know their claims, while an active server counts all three. Virtual time.
 */
class ReserveStatusTest {
    private static final List<Block> DAG = EngineNet.dag("reserve", 3);
    private static final Cid ROOT = DAG.getFirst().cid();

    @Test
    void aReserveListsTheThreeHoldersAndSaysItHearsNoClaims() {
        EngineNet net = new EngineNet(4, EngineNet.quick());
        List<Node> order = net.byDistance(ROOT);
        Node origin = order.get(0);
        DAG.forEach(origin::put);
        net.publish(net.subscribe("s", List.of(ROOT), 3, 1));
        origin.engine.blockAdded(ROOT);
        net.settle();
        net.advance(60_000);
        for (int i = 0; i < 3; i++) {
            assertThat(order.get(i).engine.heldRoots()).as("holder #" + i).containsExactly(ROOT);
        }
        Node reserve = order.get(3);
        assertThat(reserve.engine.heldRoots()).isEmpty();

        RootStatus active = order.get(1).engine.status(ROOT);
        assertThat(active.hearsClaims()).isTrue();
        assertThat(active.holders()).isEqualTo(3);

        RootStatus st = reserve.engine.status(ROOT);
        assertThat(st.factor()).isEqualTo(3);
        assertThat(st.holdsLocally()).isFalse();
        assertThat(st.underReplicated()).isFalse();
        assertThat(st.order())
                .extracting(RootStatus.Server::peer)
                .containsExactly(order.get(0).id, order.get(1).id, order.get(2).id, reserve.id);
        assertThat(st.order().subList(0, 3))
                .extracting(RootStatus.Server::role)
                .containsOnly(RootStatus.Role.ACTIVE);
        assertThat(st.order().get(3).self()).isTrue();
        assertThat(st.order().get(3).role()).isEqualTo(RootStatus.Role.RESERVE);
        // not "0 holders": the reserve is sent no claims and says it does not know
        assertThat(st.hearsClaims()).isFalse();
        assertThat(st.holders()).isEqualTo(-1);
    }
}
