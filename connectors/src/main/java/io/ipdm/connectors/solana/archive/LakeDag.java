package io.ipdm.connectors.solana.archive;

import io.ipdm.connectors.lakes.faithful.FaithfulNodes;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import java.util.List;

/** Old Faithful nodes read by CID from a lake (or the network behind it). */
final class LakeDag {
    private LakeDag() {}

    static List<?> node(BlockSource source, Cid cid, String where) {
        return FaithfulNodes.decode(cid, bytes(source, cid, where), where);
    }

    /** The bytes of {@code cid}, checked against it. */
    static byte[] bytes(BlockSource source, Cid cid, String where) {
        Block b;
        try {
            b = source.get(cid);
        } catch (LakesException e) {
            throw new ArchiveException(where + ": cannot read " + cid + ": " + e.getMessage(), e);
        }
        if (b == null) {
            throw new ArchiveException(
                    where
                            + ": "
                            + cid
                            + " is not in the lake (import the archive with ipdm lake import-car, or"
                            + " give peers that hold it)");
        }
        if (!b.cid().equals(cid) || !cid.verifies(b.data())) {
            throw new ArchiveException(
                    where + ": the block read for " + cid + " does not hash to it");
        }
        return b.data();
    }

    static List<?> node(BlockSource source, Cid cid, int kind, String where) {
        List<?> n = node(source, cid, where);
        if (FaithfulNodes.kind(n) != kind) {
            throw new ArchiveException(
                    where
                            + ": "
                            + cid
                            + " is a "
                            + FaithfulNodes.kindName(FaithfulNodes.kind(n))
                            + " node, expected a "
                            + FaithfulNodes.kindName(kind));
        }
        return n;
    }

    /** The blockhash of a Block node: its last entry's hash. */
    static String blockhash(BlockSource source, List<?> block, String where) {
        List<Cid> entries = FaithfulNodes.entries(block);
        if (entries.isEmpty()) {
            throw new ArchiveException(where + ": Block node links no entries");
        }
        return FaithfulNodes.entryHash(
                node(source, entries.get(entries.size() - 1), FaithfulNodes.ENTRY, where));
    }
}
