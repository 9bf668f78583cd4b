package io.ipdm.lakes.durability;

import io.ipdm.multiformats.Cid;
import java.util.List;

/**
 * The durability engine's view of the local blocks: the node implements it over its {@code
 * TieredStore}, the simulator over a map. Calls are made on the engine's thread and must not block
 * on the network.
 */
public interface BlockAccess {
    /** Whether the block is held locally. */
    boolean has(Cid cid);

    /** The block's bytes, or null when it is not held. */
    byte[] read(Cid cid);

    /**
     * The CIDs the held block links to (empty for leaves, for codecs without links, and when the
     * block is not held), for walking a root's DAG.
     */
    List<Cid> links(Cid cid);
}
