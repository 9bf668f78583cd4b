package io.ipdm.lakes.ipld;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Multicodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Directories as IPFS stores them (UnixFS, CIDv1): a dag-pb node whose Data is {@code {Type:
 * Directory}} and whose links name the entries, sorted by name bytes, each with the total size of
 * the entry's DAG ({@code Tsize}); files as {@link UnixFsFile} makes them. A directory whose links
 * come to more than 256 KiB is written as a HAMT shard instead ({@link HamtDirectory}, as Kubo and
 * Helia do), so a directory may have any number of entries.
 */
public final class UnixFsDirectory {
    private UnixFsDirectory() {}

    /** An entry: its name, the root of its DAG, and the DAG's total block bytes. */
    public record Entry(String name, Block root, long tsize) {}

    /** The directory node over {@code entries} (any order; names must be unique). */
    public static Block build(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(
                (a, b) ->
                        Arrays.compareUnsigned(
                                a.name().getBytes(StandardCharsets.UTF_8),
                                b.name().getBytes(StandardCharsets.UTF_8)));
        List<DagPb.Link> links = new ArrayList<>();
        String previous = null;
        for (Entry e : sorted) {
            if (e.name().equals(previous)) {
                throw new LakesException("directory entry '" + e.name() + "' appears twice");
            }
            previous = e.name();
            links.add(new DagPb.Link(e.root().cid(), e.name(), e.tsize()));
        }
        return Block.of(
                Multicodec.DAG_PB, DagPb.encode(new DagPb.Node(UnixFsData.DIRECTORY, links)));
    }

    /**
     * Imports the tree under {@code dir} (regular files and directories; symbolic links and other
     * files are refused, naming them), files cut into {@code chunk}-byte raw leaves; blocks in
     * dependency order, the root directory last.
     */
    public static List<Block> importTree(Path dir, int chunk) throws IOException {
        List<Block> out = new ArrayList<>();
        add(dir, chunk, out);
        return out;
    }

    /** Adds the blocks of {@code p}; returns its entry's total size. */
    private static long add(Path p, int chunk, List<Block> out) throws IOException {
        if (Files.isSymbolicLink(p)) {
            throw new LakesException(
                    p + " is a symbolic link; UnixFS import takes files and directories");
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> children;
            try (Stream<Path> s = Files.list(p)) {
                children = s.sorted().toList();
            }
            List<Entry> entries = new ArrayList<>();
            long total = 0;
            for (Path c : children) {
                long size = add(c, chunk, out);
                entries.add(new Entry(c.getFileName().toString(), out.get(out.size() - 1), size));
                total += size;
            }
            if (HamtDirectory.shouldShard(entries)) {
                HamtDirectory.Sharded shard = HamtDirectory.build(entries);
                out.addAll(shard.blocks());
                return shard.tsize();
            }
            Block node = build(entries);
            out.add(node);
            return total + node.data().length;
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new LakesException(p + " is neither a regular file nor a directory");
        }
        List<Block> blocks = UnixFsFile.build(UnixFsFile.chunks(p, chunk));
        out.addAll(blocks);
        long total = 0;
        for (Block b : blocks) {
            total += b.data().length;
        }
        return total;
    }
}
