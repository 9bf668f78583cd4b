package io.ipdm.lakes;

import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;

/**
 * A block: bytes and the CID they hash to. The array is not copied (blocks are passed around a
 * lot); callers must not modify it.
 */
public record Block(Cid cid, byte[] data) {
    public Block {
        if (cid == null || data == null) {
            throw new LakesException("a block needs a CID and bytes");
        }
    }

    /** A block whose CID is computed here (CIDv1, sha2-256). */
    public static Block of(Multicodec codec, byte[] data) {
        return new Block(Cid.sha256(codec, data), data);
    }

    /** Checks that the bytes hash to the CID. */
    public Block verified() {
        if (!cid.verifies(data)) {
            throw new LakesException("block bytes do not hash to " + cid);
        }
        return this;
    }
}
