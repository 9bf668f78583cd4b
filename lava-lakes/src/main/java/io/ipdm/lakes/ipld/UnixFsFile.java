package io.ipdm.lakes.ipld;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Multicodec;
import io.ipdm.multiformats.Varint;
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

    /** Writes the content of the file under {@code root}; a non-file block is written as is. */
    public static long write(BlockSource source, Cid root, OutputStream out) throws IOException {
        Block b = InlineBlocks.get(source, root);
        if (b == null) {
            throw new LakesException("block " + root + " not found");
        }
        if (root.codec() != Multicodec.DAG_PB.code()) {
            out.write(b.data());
            return b.data().length;
        }
        long n = 0;
        for (DagPb.Link l : DagPb.decode(b.data()).links()) {
            n += write(source, l.hash(), out);
        }
        return n;
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
