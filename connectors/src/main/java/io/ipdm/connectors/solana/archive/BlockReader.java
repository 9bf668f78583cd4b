package io.ipdm.connectors.solana.archive;

import io.ipdm.connectors.lakes.faithful.FaithfulNodes;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocks of one split, one at a time: from an archive's bytes ({@link #car}: the sections
 * between the split's offsets, a block's nodes held until its Block node comes) or from a lake by
 * CID ({@link #dag}: the Subset's block links, each block's DAG read through the lake's
 * prefetcher). A block's previous blockhash is the one before it in the archive when that is its
 * parent, else the all-zero hash.
 */
public abstract class BlockReader implements AutoCloseable {
    /** The next block of {@code split} (at its current position), or null at its end. */
    public abstract SolanaBlock next(ArchiveSplit split) throws IOException;

    /** The position after the block last returned (an offset, or a block index for a DAG). */
    public abstract long position();

    @Override
    public void close() {}

    static String previousHash(ArchiveSplit s, long parentSlot) {
        return parentSlot == s.previousSlot() ? s.previousBlockhash() : FaithfulNodes.ZERO_HASH;
    }

    public static BlockReader car(ArchiveRange range, ArchiveOptions options, ArchiveSplit split) {
        return new Car(range, options, split);
    }

    public static BlockReader dag(BlockSource lake, ArchiveSplit split) {
        return new Dag(lake, split);
    }

    private static final class Car extends BlockReader {
        private final ArchiveRange range;
        private final SectionStream sections;
        private final Map<Cid, List<?>> pending = new HashMap<>();

        Car(ArchiveRange range, ArchiveOptions options, ArchiveSplit split) {
            this.range = range;
            this.sections = new SectionStream(range, options, split.start(), split.end());
        }

        @Override
        public SolanaBlock next(ArchiveSplit split) throws IOException {
            sections.context("slots " + (split.previousSlot() + 1) + "-" + split.lastSlot());
            for (SectionStream.Section s = sections.next(); s != null; s = sections.next()) {
                String where = range.name() + " at offset " + s.offset();
                List<?> node;
                try {
                    node = FaithfulNodes.decode(s.cid(), s.data(), where);
                } catch (LakesException e) {
                    throw new ArchiveException(e.getMessage(), e);
                }
                if (FaithfulNodes.kind(node) != FaithfulNodes.BLOCK) {
                    pending.put(s.cid(), node);
                    continue;
                }
                try {
                    SolanaBlock b =
                            FaithfulNodes.decodeBlock(
                                    node,
                                    pending::get,
                                    previousHash(split, FaithfulNodes.parentSlot(node)),
                                    range.name());
                    pending.clear();
                    return b;
                } catch (LakesException e) {
                    throw new ArchiveException(
                            e.getMessage() + " (Block node at offset " + s.offset() + ")", e);
                }
            }
            return null;
        }

        @Override
        public long position() {
            return sections.position();
        }

        @Override
        public void close() {
            sections.close();
        }
    }

    private static final class Dag extends BlockReader {
        private final BlockSource lake;
        private final List<Cid> blocks;
        private final String where;
        private long position;

        Dag(BlockSource lake, ArchiveSplit split) {
            this.lake = lake;
            Cid subset = Cid.parse(split.location());
            this.where = "subset " + subset;
            this.blocks =
                    FaithfulNodes.children(LakeDag.node(lake, subset, FaithfulNodes.SUBSET, where));
            this.position = split.start();
            if (split.end() > blocks.size()) {
                throw new ArchiveException(
                        where
                                + " has "
                                + blocks.size()
                                + " blocks, the split needs "
                                + split.end());
            }
        }

        @Override
        public SolanaBlock next(ArchiveSplit split) {
            if (position >= split.end()) {
                return null;
            }
            Cid cid = blocks.get((int) position);
            String at = where + ", block " + cid;
            List<?> node = LakeDag.node(lake, cid, FaithfulNodes.BLOCK, at);
            SolanaBlock b;
            try {
                b =
                        FaithfulNodes.decodeBlock(
                                node,
                                c -> LakeDag.node(lake, c, at),
                                previousHash(split, FaithfulNodes.parentSlot(node)),
                                at);
            } catch (LakesException e) {
                throw new ArchiveException(e.getMessage(), e);
            }
            position++;
            return b;
        }

        @Override
        public long position() {
            return position;
        }
    }
}
