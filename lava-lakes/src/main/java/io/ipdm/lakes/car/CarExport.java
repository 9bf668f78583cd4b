package io.ipdm.lakes.car;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.ipld.InlineBlocks;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A DAG out of any {@link BlockSource} (the lake, a remote node) as a CARv1: depth-first, each
 * block once, identity blocks left out. The DAG is walked and checked first ({@link #plan}: every
 * block read, verified against its CID by the source, its links parsed), so a missing or
 * undecodable block fails before a byte is written.
 */
public final class CarExport {
    private CarExport() {}

    /**
     * The CIDs of the DAG under {@code root} in CAR order.
     *
     * @throws LakesException naming the first missing or undecodable block
     */
    public static List<Cid> plan(BlockSource source, Cid root) {
        List<Cid> order = new ArrayList<>();
        Links.walk(source, root, b -> order.add(b.cid()));
        return order;
    }

    /** Plans, then writes the CAR; returns the block count. */
    public static long write(BlockSource source, Cid root, OutputStream out) throws IOException {
        List<Cid> order = new ArrayList<>();
        try {
            Links.walk(source, root, b -> order.add(b.cid()));
        } catch (LakesException e) {
            throw new LakesException(
                    "export of "
                            + root
                            + " stopped after reading "
                            + order.size()
                            + " blocks, nothing written: "
                            + e.getMessage());
        }
        CarWriter w = new CarWriter(out, List.of(root));
        long n = 0;
        for (Cid cid : order) {
            Block b = InlineBlocks.get(source, cid);
            if (b == null) {
                out.flush();
                throw new LakesException(
                        "export of "
                                + root
                                + " is incomplete: block "
                                + cid
                                + " disappeared while the CAR was written ("
                                + n
                                + " of "
                                + order.size()
                                + " blocks written); discard the output");
            }
            w.write(b);
            n++;
        }
        out.flush();
        return n;
    }
}
