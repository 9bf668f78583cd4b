package io.ipdm.lakes;

import io.ipdm.multiformats.Cid;

/** Something blocks can be read from by CID (the tiered store, a CAR file, a remote node). */
public interface BlockSource {
    /** The block, verified against its CID, or null when absent. */
    Block get(Cid cid);

    /** Whether the block was held once and has been deleted on purpose (HTTP 410). */
    default boolean isGone(Cid cid) {
        return false;
    }

    /**
     * Whether the block can be read here at once, without asking the network (a gateway's {@code
     * Cache-Control: only-if-cached}). Sources that read the network override it.
     */
    default boolean holds(Cid cid) {
        return get(cid) != null;
    }
}
