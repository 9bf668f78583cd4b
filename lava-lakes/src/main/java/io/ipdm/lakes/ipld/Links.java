package io.ipdm.lakes.ipld;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** The links out of a block, by its codec, and depth-first walks over a DAG. */
public final class Links {
    private Links() {}

    /** CIDs a block links to (dag-cbor and dag-pb; raw and other codecs have none). */
    public static List<Cid> of(Block b) {
        long codec = b.cid().codec();
        if (codec == Multicodec.DAG_CBOR.code()) {
            return DagCbor.links(DagCbor.decode(b.data()));
        }
        if (codec == Multicodec.DAG_PB.code()) {
            List<Cid> out = new ArrayList<>();
            for (DagPb.Link l : DagPb.decode(b.data()).links()) {
                out.add(l.hash());
            }
            return out;
        }
        return List.of();
    }

    /**
     * Visits the DAG under {@code root} depth-first, pre-order, each block once (the order the
     * trustless gateway spec gives CAR responses). Fails naming the first missing block.
     */
    public static void walk(BlockSource source, Cid root, Consumer<Block> visitor) {
        Set<Cid> seen = new HashSet<>();
        Deque<Cid> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Cid c = stack.pop();
            if (!seen.add(c)) {
                continue;
            }
            Block b = source.get(c);
            if (b == null) {
                throw new LakesException(
                        "block " + c + " of the DAG under " + root + " is missing");
            }
            visitor.accept(b);
            List<Cid> links = of(b);
            for (int i = links.size() - 1; i >= 0; i--) {
                stack.push(links.get(i));
            }
        }
    }
}
