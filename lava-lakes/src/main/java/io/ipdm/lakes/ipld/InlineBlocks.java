package io.ipdm.lakes.ipld;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import java.util.Arrays;

/**
 * Identity CIDs (multihash code 0x00, e.g. {@code bafkqaaa}, the empty raw block): the block's
 * bytes are the multihash digest, inside the CID. They are never stored, looked up or sent; every
 * read resolves them here first, and CAR exports leave them out (the <a
 * href="https://specs.ipfs.tech/http-gateways/trustless-gateway/">trustless gateway spec</a>: the
 * parent block already carries the bytes).
 */
public final class InlineBlocks {
    private InlineBlocks() {}

    public static boolean isInline(Cid cid) {
        return cid.multihash().code() == 0;
    }

    /** The block an identity CID carries, or null for any other CID. */
    public static Block of(Cid cid) {
        return isInline(cid) ? new Block(cid, cid.multihash().digest()) : null;
    }

    /** The inline block, else what {@code source} holds (null when absent). */
    public static Block get(BlockSource source, Cid cid) {
        Block b = of(cid);
        return b != null ? b : source.get(cid);
    }

    /**
     * Checks a block under an identity CID (from a CAR, a put) carries exactly the inlined bytes; a
     * digest that is only a prefix of the data does not do.
     */
    public static void check(Block b) {
        if (isInline(b.cid()) && !Arrays.equals(b.data(), b.cid().multihash().digest())) {
            throw new LakesException(
                    "block under identity CID "
                            + b.cid()
                            + " has "
                            + b.data().length
                            + " bytes that are not the "
                            + b.cid().multihash().digest().length
                            + " bytes the CID carries");
        }
    }
}
