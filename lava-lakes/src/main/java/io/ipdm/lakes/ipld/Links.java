package io.ipdm.lakes.ipld;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.nio.charset.StandardCharsets;
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

    /**
     * CIDs a block links to: dag-cbor (tag 42, found by {@link DagCbor#scanLinks}, so text that is
     * not UTF-8 does not stop a walk), dag-pb and dag-json; raw and other codecs have none.
     *
     * @throws CodecException when the block does not decode under its codec
     */
    public static List<Cid> of(Block b) {
        long codec = b.cid().codec();
        if (codec == Multicodec.DAG_CBOR.code()) {
            return DagCbor.scanLinks(b.data());
        }
        if (codec == Multicodec.DAG_PB.code()) {
            List<Cid> out = new ArrayList<>();
            for (DagPb.Link l : DagPb.decode(b.data()).links()) {
                out.add(l.hash());
            }
            return out;
        }
        if (codec == Multicodec.DAG_JSON.code()) {
            return DagCbor.links(DagJson.decode(new String(b.data(), StandardCharsets.UTF_8)));
        }
        return List.of();
    }

    /** Whether blocks of this codec can carry links that {@link #of} finds. */
    public static boolean canLink(Cid cid) {
        long codec = cid.codec();
        return codec == Multicodec.DAG_CBOR.code()
                || codec == Multicodec.DAG_PB.code()
                || codec == Multicodec.DAG_JSON.code();
    }

    /**
     * Visits the DAG under {@code root} depth-first, pre-order, each block once (the order the
     * trustless gateway spec gives CAR responses). Blocks under identity CIDs are not visited (they
     * are inside their CIDs, see {@link InlineBlocks}) but their links are followed. Fails naming
     * the first missing block.
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
            Block b = InlineBlocks.get(source, c);
            if (b == null) {
                throw new LakesException(
                        "block " + c + " of the DAG under " + root + " is missing");
            }
            if (!InlineBlocks.isInline(c)) {
                visitor.accept(b);
            }
            List<Cid> links;
            try {
                links = of(b);
            } catch (CodecException e) {
                throw new CodecException(
                        "block " + c + " of the DAG under " + root + ": " + e.getMessage());
            }
            for (int i = links.size() - 1; i >= 0; i--) {
                stack.push(links.get(i));
            }
        }
    }
}
