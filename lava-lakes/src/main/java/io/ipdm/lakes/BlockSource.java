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
}
