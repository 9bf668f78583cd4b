package io.ipdm.lakes.ipld;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves a content path {@code /ipfs/{cid}/a/b.txt} through UnixFS: a directory's links by name,
 * a HAMT-sharded directory (hash type 0x22, murmur3-x64-64; {@link HamtHash}) by the hash of the
 * name, a dag-pb node without UnixFS Data by its link names; and through dag-cbor and dag-json
 * blocks by IPLD pathing ({@link IpldPath}: map keys, list indexes, links followed into the next
 * block, whatever its codec). A path may end inside a dag-cbor/dag-json block. Every block read on
 * the way is kept (the blocks a client needs to verify the path). What cannot be resolved is a
 * {@link PathException} with an HTTP-like status: 404 for a missing block or segment (naming it,
 * the block it was looked for in and the path so far), 501 for what is not supported (symlinks,
 * other HAMT hash types).
 */
public final class UnixFsPath {
    private UnixFsPath() {}

    /**
     * A path resolved.
     *
     * @param target the CID the path ends at, or the block the path ends inside
     * @param segments the CID each segment named (for a segment inside a dag-cbor/dag-json block,
     *     that block's), root first, target last
     * @param traversed every block read to get there (root, directories, HAMT shard nodes), in
     *     order, without the target
     * @param inside null when the path ends at {@code target}'s block itself; else it ends at a
     *     node inside it, and these are the links under that node, in encounter order
     */
    public record Resolved(Cid target, List<Cid> segments, List<Cid> traversed, List<Cid> inside) {
        public Resolved(Cid target, List<Cid> segments, List<Cid> traversed) {
            this(target, segments, traversed, null);
        }
    }

    /** A path that does not resolve; {@code status} 404 or 501. */
    public static final class PathException extends RuntimeException {
        private final int status;

        PathException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Walks {@code path} (segments, already percent-decoded) from {@code root}. */
    public static Resolved resolve(BlockSource source, Cid root, List<String> path) {
        Cid cur = root;
        // where the path is inside cur's dag-cbor/dag-json block; null: at the block itself
        Object node = null;
        boolean in = false;
        List<Cid> segments = new ArrayList<>(List.of(root));
        List<Cid> traversed = new ArrayList<>();
        StringBuilder at = new StringBuilder("/ipfs/").append(root);
        for (String seg : path) {
            if (!in) {
                Block b = load(source, cur, at);
                if (!IpldPath.walks(cur)) {
                    traversed.add(cur);
                    cur = child(source, b, seg, at, traversed);
                    at.append('/').append(seg);
                    segments.add(cur);
                    continue;
                }
                node = decode(b, at);
                in = true;
            }
            Object next = IpldPath.step(node, seg);
            if (next == IpldPath.NONE) {
                throw new PathException(
                        404,
                        "no '"
                                + seg
                                + "' in "
                                + at
                                + " (block "
                                + cur
                                + ", "
                                + Multicodec.nameOf(cur.codec())
                                + "): "
                                + IpldPath.why(node, seg));
            }
            at.append('/').append(seg);
            if (next instanceof Cid link) {
                traversed.add(cur);
                cur = link;
                node = null;
                in = false;
            } else {
                node = next;
            }
            segments.add(cur);
        }
        return new Resolved(cur, segments, traversed, in ? DagCbor.links(node) : null);
    }

    private static Object decode(Block b, CharSequence at) {
        try {
            return IpldPath.decode(b);
        } catch (CodecException e) {
            throw new CodecException("block " + b.cid() + " (" + at + "): " + e.getMessage());
        }
    }

    private static Block load(BlockSource source, Cid cid, CharSequence at) {
        Block b = InlineBlocks.get(source, cid);
        if (b == null) {
            throw new PathException(404, "block " + cid + " (" + at + ") not found");
        }
        return b;
    }

    private static Cid child(
            BlockSource source, Block b, String seg, CharSequence at, List<Cid> traversed) {
        long codec = b.cid().codec();
        if (codec == Multicodec.RAW.code()) {
            throw new PathException(
                    404, at + " is a file (a raw block); it has no '" + seg + "' inside");
        }
        if (codec != Multicodec.DAG_PB.code()) {
            throw new PathException(
                    501,
                    "paths inside "
                            + Multicodec.nameOf(codec)
                            + " blocks are not supported (only UnixFS, dag-cbor and dag-json);"
                            + " request "
                            + at
                            + " itself");
        }
        DagPb.Node node = DagPb.decode(b.data());
        if (node.data() == null) {
            return byName(node, seg, at);
        }
        UnixFsData d = UnixFsData.decode(node.data());
        return switch (d.type()) {
            case DIRECTORY -> byName(node, seg, at);
            case HAMT_SHARD -> inShard(source, node, d, seg, at, traversed);
            case SYMLINK ->
                    throw new PathException(
                            501, at + " is a UnixFS symlink; symlinks are not followed");
            default ->
                    throw new PathException(
                            404,
                            at
                                    + " is a "
                                    + d.type().name().toLowerCase(Locale.ROOT)
                                    + ", not a directory; it has no '"
                                    + seg
                                    + "' inside");
        };
    }

    private static Cid byName(DagPb.Node node, String seg, CharSequence at) {
        for (DagPb.Link l : node.links()) {
            if (seg.equals(l.name())) {
                return l.hash();
            }
        }
        throw new PathException(404, "no '" + seg + "' in " + at);
    }

    /** Follows the name's hash bits down the shard's levels to its entry. */
    private static Cid inShard(
            BlockSource source,
            DagPb.Node shard,
            UnixFsData d,
            String seg,
            CharSequence at,
            List<Cid> traversed) {
        if (d.hashType() != HamtHash.MURMUR3_X64_64) {
            throw new PathException(
                    501,
                    at
                            + " is a HAMT shard with hash type 0x"
                            + Long.toHexString(d.hashType())
                            + "; only murmur3-x64-64 (0x22) is supported");
        }
        long fanout = d.fanout();
        if (fanout < 2 || fanout > 1 << 16 || Long.bitCount(fanout) != 1) {
            throw new PathException(
                    501, at + " is a HAMT shard with fanout " + fanout + " (not a power of two)");
        }
        int bits = Long.numberOfTrailingZeros(fanout);
        int width = Long.toHexString(fanout - 1).length();
        byte[] hash = HamtHash.of(seg.getBytes(StandardCharsets.UTF_8));
        DagPb.Node node = shard;
        for (int level = 0; ; level++) {
            int bucket = HamtHash.bucket(hash, level, bits);
            if (bucket < 0) {
                throw new PathException(404, "no '" + seg + "' in " + at + " (HAMT exhausted)");
            }
            String prefix = String.format("%0" + width + "X", bucket);
            DagPb.Link found = null;
            for (DagPb.Link l : node.links()) {
                if (l.name() != null && l.name().startsWith(prefix)) {
                    found = l;
                    break;
                }
            }
            if (found == null) {
                throw new PathException(404, "no '" + seg + "' in " + at);
            }
            if (found.name().length() > width) {
                if (found.name().substring(width).equals(seg)) {
                    return found.hash();
                }
                throw new PathException(404, "no '" + seg + "' in " + at);
            }
            // a sub-shard: its node is on the path too
            Block sub = load(source, found.hash(), at + " (HAMT shard " + prefix + ")");
            traversed.add(found.hash());
            node = DagPb.decode(sub.data());
            UnixFsData sd = UnixFsData.decode(node.data());
            if (sd.type() != UnixFsData.Type.HAMT_SHARD) {
                throw new PathException(
                        404, "HAMT shard " + found.hash() + " under " + at + " is not a shard");
            }
        }
    }

    /**
     * The blocks of {@code target}'s entity ({@code dag-scope=entity}): a UnixFS file's whole DAG,
     * a directory's node, a HAMT shard's nodes without their entries, any other block alone. Null
     * for a file: its entity is the whole DAG under {@code target}, which the caller plans.
     */
    public static List<Cid> entity(BlockSource source, Cid target) {
        if (target.codec() != Multicodec.DAG_PB.code()) {
            return List.of(target);
        }
        Block b = InlineBlocks.get(source, target);
        if (b == null) {
            throw new PathException(404, "block " + target + " not found");
        }
        DagPb.Node node = DagPb.decode(b.data());
        UnixFsData d = node.data() == null ? null : UnixFsData.decode(node.data());
        if (d != null && d.type() == UnixFsData.Type.FILE) {
            return null; // the whole DAG: the caller plans it
        }
        List<Cid> out = new ArrayList<>(List.of(target));
        if (d != null && d.type() == UnixFsData.Type.HAMT_SHARD) {
            int width = Long.toHexString(Math.max(1, d.fanout() - 1)).length();
            for (DagPb.Link l : node.links()) {
                if (l.name() != null && l.name().length() == width) {
                    out.addAll(entity(source, l.hash()));
                }
            }
        }
        return out;
    }
}
