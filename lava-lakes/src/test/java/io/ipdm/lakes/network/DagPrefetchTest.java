package io.ipdm.lakes.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link DagPrefetch#walking}: a DAG is prefetched only when the walk meets a block not held. */
class DagPrefetchTest {
    /** Blocks held here; the "network" has the rest and {@link #prefetchDag} brings them in. */
    private static final class Source implements BlockSource, DagPrefetch {
        final Map<Cid, Block> held = new HashMap<>();
        final Map<Cid, Block> network = new HashMap<>();
        final List<Cid> prefetched = new ArrayList<>();

        @Override
        public Block get(Cid cid) {
            Block b = held.get(cid);
            return b != null ? b : network.get(cid);
        }

        @Override
        public boolean holds(Cid cid) {
            return held.containsKey(cid);
        }

        @Override
        public void prefetchDag(Cid root) {
            prefetched.add(root);
            held.putAll(network);
        }
    }

    private static Block block(String text) {
        return Block.of(Multicodec.RAW, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDagHeldAlreadyIsWalkedWithoutAPrefetch() {
        Source s = new Source();
        Block a = block("a");
        Block b = block("b");
        s.held.put(a.cid(), a);
        s.held.put(b.cid(), b);
        BlockSource walk = DagPrefetch.walking(s, a.cid());
        assertThat(walk.get(a.cid())).isEqualTo(a);
        assertThat(walk.get(b.cid())).isEqualTo(b);
        assertThat(s.prefetched).isEmpty();
    }

    @Test
    void theFirstBlockNotHeldBringsTheWholeDagInOnce() {
        Source s = new Source();
        Block root = block("root");
        Block b = block("b");
        Block c = block("c");
        s.held.put(root.cid(), root);
        s.network.put(b.cid(), b);
        s.network.put(c.cid(), c);
        BlockSource walk = DagPrefetch.walking(s, root.cid());
        assertThat(walk.get(root.cid())).isEqualTo(root);
        assertThat(s.prefetched).isEmpty();
        assertThat(walk.get(b.cid())).isEqualTo(b);
        assertThat(walk.get(c.cid())).isEqualTo(c);
        assertThat(s.prefetched).containsExactly(root.cid());
    }

    @Test
    void aSourceThatCannotPrefetchIsReturnedAsItIs() {
        BlockSource plain = cid -> null;
        assertThat(DagPrefetch.walking(plain, block("x").cid())).isSameAs(plain);
    }
}
