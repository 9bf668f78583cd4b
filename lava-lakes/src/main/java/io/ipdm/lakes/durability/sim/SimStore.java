package io.ipdm.lakes.durability.sim;

import io.ipdm.lakes.durability.BlockAccess;
import io.ipdm.multiformats.Cid;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A simulated node's disk: blocks in a map, plus the lies its {@link Behaviour} tells the engine
 * above it (a claiming or dropping node reports blocks it does not have; a corrupting one returns
 * altered bytes). The disk survives a crash and is gone with a node that leaves.
 */
final class SimStore implements BlockAccess {
    private final Behaviour behaviour;
    private final Catalog catalog;
    private final Map<Cid, byte[]> blocks = new HashMap<>();

    /** Blocks a lying node says it has without having them. */
    private final Set<Cid> claimed = new HashSet<>();

    final Set<Cid> pins = new LinkedHashSet<>();

    SimStore(Behaviour behaviour, Catalog catalog) {
        this.behaviour = behaviour;
        this.catalog = catalog;
    }

    @Override
    public boolean has(Cid cid) {
        return blocks.containsKey(cid) || claimed.contains(cid);
    }

    @Override
    public byte[] read(Cid cid) {
        byte[] b = blocks.get(cid);
        if (b == null || behaviour != Behaviour.CORRUPT) {
            return b;
        }
        byte[] bad = b.clone();
        bad[bad.length / 2] ^= 0x5a;
        return bad;
    }

    @Override
    public List<Cid> links(Cid cid) {
        return has(cid) ? catalog.links(cid) : List.of();
    }

    /** Stores what a fetch brought (a claiming liar only pretends to). */
    void store(Cid cid, byte[] data) {
        if (behaviour == Behaviour.CLAIM_ONLY) {
            claimed.add(cid);
        } else {
            blocks.put(cid, data);
        }
    }

    /** A drop the engine asked for. */
    void delete(Cid cid) {
        blocks.remove(cid);
        claimed.remove(cid);
    }

    /** A silent loss: the bytes go, the claim stays. */
    void loseSilently(Cid cid) {
        if (blocks.remove(cid) != null) {
            claimed.add(cid);
        }
    }

    /** Whether the node really holds correct bytes of every listed block. */
    boolean holdsCorrect(List<Cid> dag) {
        if (behaviour == Behaviour.CORRUPT) {
            return false;
        }
        for (Cid c : dag) {
            if (!blocks.containsKey(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether it can serve the DAG at all (corrupt bytes included: the fetcher rejects them). */
    boolean servesBytes(List<Cid> dag) {
        for (Cid c : dag) {
            if (!blocks.containsKey(c)) {
                return false;
            }
        }
        return true;
    }
}
