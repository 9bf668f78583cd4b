package io.ipdm.lakes.store;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.ipld.CodecException;
import io.ipdm.lakes.ipld.InlineBlocks;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Mark and sweep over a {@link TieredStore}: every block reachable from a pinned root (through
 * dag-cbor, dag-pb and dag-json links, in any tier) is live; the rest is deleted from hot and warm,
 * and cold archives are repacked without it ({@link ColdTier#collect}). Run it while nothing writes
 * to the store: a block put but not yet pinned (or linked from a pinned root) is garbage.
 */
public final class GarbageCollector {
    /** What one collection freed, per tier. */
    public record Result(
            long liveBlocks,
            long warmBlocks,
            long warmBytes,
            long hotBlocks,
            ColdTier.Collected cold) {
        public long freedBlocks() {
            return warmBlocks + cold.blocks();
        }
    }

    private final TieredStore store;

    public GarbageCollector(TieredStore store) {
        this.store = store;
    }

    public Result collect() throws IOException {
        Set<Cid> live = mark();
        long warmBlocks = 0;
        long warmBytes = 0;
        List<Cid> dead = new ArrayList<>();
        for (WarmTier.Entry e :
                store.warm().scan(e -> !live.contains(e.cid()), Integer.MAX_VALUE)) {
            dead.add(e.cid());
            warmBlocks++;
            warmBytes += e.size();
            if (dead.size() == 1024) {
                store.warm().delete(dead);
                dead.clear();
            }
        }
        store.warm().delete(dead);
        long hotBlocks = 0;
        for (Cid c : store.hot().cids()) {
            if (!live.contains(c)) {
                store.hot().invalidate(c);
                hotBlocks++;
            }
        }
        ColdTier.Collected cold = store.cold().collect(live::contains);
        return new Result(live.size(), warmBlocks, warmBytes, hotBlocks, cold);
    }

    /** Every CID reachable from a pin that some tier holds. */
    private Set<Cid> mark() throws IOException {
        Set<Cid> live = new HashSet<>();
        Deque<Cid> todo = new ArrayDeque<>(store.warm().pins());
        while (!todo.isEmpty()) {
            Cid c = todo.pop();
            if (live.contains(c)) {
                continue;
            }
            if (!Links.canLink(c)) {
                live.add(c);
                continue;
            }
            Block b = peek(c);
            if (b == null) {
                continue; // a pinned DAG with a missing block: keep what is there
            }
            live.add(c);
            try {
                todo.addAll(Links.of(b));
            } catch (CodecException e) {
                // nothing is deleted when the marks are unsure
                throw new CodecException(
                        "gc stopped, nothing deleted: pinned block "
                                + c
                                + " does not decode: "
                                + e.getMessage());
            }
        }
        live.removeIf(InlineBlocks::isInline); // followed, but never stored
        return live;
    }

    /** A block from any tier without promoting it. */
    private Block peek(Cid c) throws IOException {
        Block b = InlineBlocks.of(c);
        if (b != null) {
            return b;
        }
        b = store.hot().get(c);
        if (b == null) {
            b = store.warm().get(c);
        }
        return b != null ? b : store.cold().get(c);
    }
}
