package io.ipdm.lakes.ipld;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtobufException;
import java.util.ArrayList;
import java.util.List;

/**
 * The blocks needed to verify a byte range of a UnixFS file (the trustless gateway's {@code
 * entity-bytes}, <a
 * href="https://specs.ipfs.tech/http-gateways/trustless-gateway/#entity-bytes-request-query-parameter">spec</a>):
 * the root, then depth-first every node whose bytes overlap the range. A node's bytes are its own
 * UnixFS {@code Data} (field 2) followed by its children's, child {@code i} covering {@code
 * blocksizes[i]} bytes, so children wholly outside the range are skipped without being read. Works
 * for raw leaves and dag-pb leaves ({@code Qm…} files) alike.
 */
public final class UnixFsRange {
    private UnixFsRange() {}

    /** What {@code root} is as a file: its size, or null when it is not a UnixFS file. */
    public static Long fileSize(BlockSource source, Cid root) {
        if (root.codec() == Multicodec.RAW.code()) {
            return (long) load(source, root).data().length;
        }
        if (root.codec() != Multicodec.DAG_PB.code()) {
            return null;
        }
        FileNode n = FileNode.of(root, load(source, root));
        return n == null ? null : n.size();
    }

    /**
     * The blocks of the file under {@code root} that hold bytes {@code first..last} (inclusive,
     * already resolved against the file's size), root first, in depth-first order.
     *
     * @throws LakesException when a needed block is missing or a node is not part of a file
     */
    public static List<Cid> blocks(BlockSource source, Cid root, long first, long last) {
        List<Cid> out = new ArrayList<>();
        walk(source, root, 0, first, last, out);
        return out;
    }

    private static void walk(
            BlockSource source, Cid cid, long base, long first, long last, List<Cid> out) {
        out.add(cid);
        if (cid.codec() == Multicodec.RAW.code()) {
            return;
        }
        FileNode n = FileNode.of(cid, load(source, cid));
        if (n == null) {
            throw new LakesException(cid + " is inside a file but is not a UnixFS file node");
        }
        long pos = base + n.inline();
        for (int i = 0; i < n.links().size(); i++) {
            long size = n.blocksizes().get(i);
            if (pos <= last && pos + size - 1 >= first && size > 0) {
                walk(source, n.links().get(i), pos, first, last, out);
            }
            pos += size;
        }
    }

    private static Block load(BlockSource source, Cid cid) {
        Block b = InlineBlocks.get(source, cid);
        if (b == null) {
            throw new LakesException("block " + cid + " not found");
        }
        return b;
    }

    /** A dag-pb UnixFS File or Raw node: its own data's length, its links and their byte counts. */
    private record FileNode(long inline, List<Cid> links, List<Long> blocksizes, long size) {
        /** Null when the block is not a UnixFS file node. */
        static FileNode of(Cid cid, Block b) {
            DagPb.Node node = DagPb.decode(b.data());
            if (node.data() == null) {
                return null;
            }
            long type = -1;
            long inline = 0;
            Long filesize = null;
            List<Long> sizes = new ArrayList<>();
            try {
                ProtoReader r = new ProtoReader(node.data(), "UnixFS Data");
                while (r.next()) {
                    switch (r.field()) {
                        case 1 -> type = r.uint64();
                        case 2 -> inline = r.bytes().length;
                        case 3 -> filesize = r.uint64();
                        case 4 -> r.uint64s(sizes::add);
                        default -> r.skip();
                    }
                }
            } catch (ProtobufException e) {
                throw new CodecException("UnixFS Data of " + cid + ": " + e.getMessage());
            }
            if (type != UnixFsData.Type.FILE.ordinal() && type != UnixFsData.Type.RAW.ordinal()) {
                return null;
            }
            List<Cid> links = node.links().stream().map(DagPb.Link::hash).toList();
            if (sizes.size() != links.size()) {
                throw new CodecException(
                        "UnixFS file node "
                                + cid
                                + " has "
                                + links.size()
                                + " links but "
                                + sizes.size()
                                + " blocksizes");
            }
            long sum = inline;
            for (long s : sizes) {
                sum += s;
            }
            return new FileNode(inline, links, sizes, filesize == null ? sum : filesize);
        }
    }
}
