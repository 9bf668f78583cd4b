package io.ipdm.lakes.ipld;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Varint;
import io.ipdm.multiformats.protobuf.ProtoReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Files as IPFS stores them with raw leaves and CIDv1 ({@code ipfs add --cid-version=1}): a file
 * that fits one chunk is a raw block; a larger one is a dag-pb node whose Data is the UnixFS
 * message {@code {Type: File, filesize, blocksizes}} and whose links are the raw chunks in order.
 */
public final class UnixFsFile {
    private UnixFsFile() {}

    /** Blocks for {@code chunks}, root last. */
    public static List<Block> build(List<byte[]> chunks) {
        List<Block> out = new ArrayList<>();
        if (chunks.size() == 1) {
            out.add(Block.of(Multicodec.RAW, chunks.get(0)));
            return out;
        }
        List<DagPb.Link> links = new ArrayList<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        long size = 0;
        for (byte[] c : chunks) {
            Block leaf = Block.of(Multicodec.RAW, c);
            out.add(leaf);
            links.add(new DagPb.Link(leaf.cid(), "", (long) c.length));
            size += c.length;
        }
        data.write(0x08);
        data.write(2); // Type = File
        data.write(0x18);
        data.writeBytes(Varint.encode(size)); // filesize
        for (byte[] c : chunks) {
            data.write(0x20);
            data.writeBytes(Varint.encode(c.length)); // blocksizes
        }
        out.add(
                Block.of(
                        Multicodec.DAG_PB,
                        DagPb.encode(new DagPb.Node(data.toByteArray(), links))));
        return out;
    }

    /**
     * Writes the content of the file under {@code root}: a raw block's bytes, or a UnixFS file
     * node's own {@code Data} followed by its links' content in order, so files with dag-pb leaves
     * (Kubo's default without {@code --raw-leaves}, CIDv0 {@code Qm…}) read whole, as well as ours.
     * Any other block (a directory, a HAMT shard, dag-cbor) is written as is.
     */
    public static long write(BlockSource source, Cid root, OutputStream out) throws IOException {
        Block b = block(source, root);
        UnixFsData.Type type = fileType(root, b);
        if (type == null) {
            out.write(b.data());
            return b.data().length;
        }
        return writeFile(source, root, b, out);
    }

    private static long writeFile(BlockSource source, Cid cid, Block b, OutputStream out)
            throws IOException {
        if (cid.codec() != Multicodec.DAG_PB.code()) {
            out.write(b.data());
            return b.data().length;
        }
        DagPb.Node node = DagPb.decode(b.data());
        byte[] inline = inlineData(node.data());
        out.write(inline);
        long n = inline.length;
        for (DagPb.Link l : node.links()) {
            Block child = block(source, l.hash());
            if (fileType(l.hash(), child) == null) {
                throw new LakesException(
                        "file node "
                                + cid
                                + " links to "
                                + l.hash()
                                + ", which is not part of a file");
            }
            n += writeFile(source, l.hash(), child, out);
        }
        return n;
    }

    private static Block block(BlockSource source, Cid cid) throws IOException {
        Block b = InlineBlocks.get(source, cid);
        if (b == null) {
            throw new LakesException("block " + cid + " not found");
        }
        return b;
    }

    /** FILE or RAW for a raw block or a UnixFS file/raw node; null for anything else. */
    /**
     * Whether {@code b} (under {@code cid}) is a UnixFS file node that links to more blocks: what
     * {@link #write} walks as a DAG rather than writing one block.
     */
    public static boolean isChunkedFile(Cid cid, Block b) {
        return cid.codec() == Multicodec.DAG_PB.code()
                && fileType(cid, b) != null
                && !DagPb.decode(b.data()).links().isEmpty();
    }

    private static UnixFsData.Type fileType(Cid cid, Block b) {
        if (cid.codec() == Multicodec.RAW.code()) {
            return UnixFsData.Type.RAW;
        }
        if (cid.codec() != Multicodec.DAG_PB.code()) {
            return null;
        }
        DagPb.Node node = DagPb.decode(b.data());
        if (node.data() == null) {
            return null;
        }
        UnixFsData.Type t;
        try {
            t = UnixFsData.decode(node.data()).type();
        } catch (CodecException e) {
            return null;
        }
        return t == UnixFsData.Type.FILE || t == UnixFsData.Type.RAW ? t : null;
    }

    /** The UnixFS {@code Data} message's own bytes (field 2), empty when absent. */
    private static byte[] inlineData(byte[] unixfs) {
        byte[] data = new byte[0];
        ProtoReader r = new ProtoReader(unixfs, "UnixFS Data");
        while (r.next()) {
            if (r.field() == 2) {
                data = r.bytes();
            } else {
                r.skip();
            }
        }
        return data;
    }

    /** The file's bytes in {@code chunk}-byte pieces (one empty piece for an empty file). */
    public static List<byte[]> chunks(Path file, int chunk) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] c;
            while ((c = in.readNBytes(chunk)).length > 0 || chunks.isEmpty()) {
                chunks.add(c);
                if (c.length < chunk) {
                    break;
                }
            }
        }
        return chunks;
    }
}
