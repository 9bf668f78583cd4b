package io.ipdm.lakes.durability;

import io.ipdm.lakes.ipld.InlineBlocks;
import io.ipdm.multiformats.Cid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reference counts of the blocks this node holds for the network (how many held roots' DAGs contain
 * each), and the opportunistic cache: blocks that passed through, kept least recently passed first
 * out. A block is dropped once no held root needs it and it is not cached. Not thread-safe: owned
 * by the engine.
 */
final class HeldBlocks {
    private final BlockAccess blocks;
    private final int cacheLimit;
    private final Map<Cid, Integer> refs = new HashMap<>();
    private final LinkedHashMap<Cid, Boolean> cache = new LinkedHashMap<>(16, 0.75f, true);

    HeldBlocks(BlockAccess blocks, int cacheLimit) {
        this.blocks = blocks;
        this.cacheLimit = cacheLimit;
    }

    /** The blocks of {@code root}'s DAG when all are held here, else null. */
    Set<Cid> walk(Cid root) {
        Set<Cid> seen = new LinkedHashSet<>();
        Deque<Cid> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Cid c = stack.pop();
            if (!seen.add(c)) {
                continue;
            }
            if (!InlineBlocks.isInline(c) && !blocks.has(c)) {
                return null;
            }
            for (Cid l : blocks.links(c)) {
                stack.push(l);
            }
        }
        seen.removeIf(InlineBlocks::isInline);
        return seen;
    }

    /** A root's DAG is held: its blocks are referenced (and no longer mere cache). */
    void hold(Set<Cid> dag) {
        for (Cid c : dag) {
            refs.merge(c, 1, Integer::sum);
            cache.remove(c);
        }
    }

    /** A root's DAG is released: returns the blocks nothing needs any more, to drop. */
    List<Cid> release(Set<Cid> dag) {
        List<Cid> drop = new ArrayList<>();
        for (Cid c : dag) {
            if (unref(c) && !cache.containsKey(c)) {
                drop.add(c);
            }
        }
        return drop;
    }

    /** One reference less; true when it was the last. */
    boolean unref(Cid c) {
        return refs.computeIfPresent(c, (k, v) -> v == 1 ? null : v - 1) == null;
    }

    /** A block vanished: forgets it; true when a held root referenced it. */
    boolean vanished(Cid c) {
        cache.remove(c);
        return refs.remove(c) != null;
    }

    boolean referenced(Cid c) {
        return refs.containsKey(c);
    }

    /**
     * Keeps a block that passed through as cache; returns the blocks evicted to stay within the
     * limit (to drop), or null when the block is not worth caching (held already, or no cache).
     */
    List<Cid> cache(Cid c) {
        if (cacheLimit == 0 || refs.containsKey(c)) {
            return null;
        }
        cache.put(c, Boolean.TRUE);
        List<Cid> evicted = new ArrayList<>();
        while (cache.size() > cacheLimit) {
            Cid eldest = cache.keySet().iterator().next();
            cache.remove(eldest);
            evicted.add(eldest);
        }
        return evicted;
    }
}
