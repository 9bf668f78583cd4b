package io.ipdm.connectors.solana.archive;

import io.ipdm.connectors.lakes.faithful.FaithfulBlockDecoder;
import io.ipdm.connectors.lakes.faithful.FaithfulNeeds;
import io.ipdm.connectors.lakes.faithful.FaithfulNodes;
import io.ipdm.connectors.lakes.faithful.PendingNodes;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.connectors.solana.block.FilteredRows;
import io.ipdm.connectors.solana.block.SolanaBlock;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The blocks of one split, one at a time: from an archive's bytes ({@link #car}: the sections
 * between the split's offsets, a block's nodes held, in place in the chunks read, until its Block
 * node comes) or from a lake by CID ({@link #dag}: the Subset's block links, each block's DAG read
 * through the lake's prefetcher). Blocks are decoded by {@link FaithfulBlockDecoder}, as much as
 * {@link FaithfulNeeds} asks. A block's previous blockhash is the one before it in the archive when
 * that is its parent, else the all-zero hash.
 */
public abstract class BlockReader implements AutoCloseable {
    /** The next block of {@code split} (at its current position), or null at its end. */
    public abstract SolanaBlock next(ArchiveSplit split) throws IOException;

    /** The position after the block last returned (an offset, or a block index for a DAG). */
    public abstract long position();

    @Override
    public void close() {}

    /** The slots of the split not read yet, for messages ("slots 7-9"). */
    static String slotsLeft(ArchiveSplit s) {
        long from = s.done() == 0 ? s.firstSlot() : s.previousSlot() + 1;
        return "slots " + from + "-" + s.lastSlot();
    }

    static String previousHash(ArchiveSplit s, long parentSlot) {
        return parentSlot == s.previousSlot() ? s.previousBlockhash() : FaithfulNodes.ZERO_HASH;
    }

    public static BlockReader car(
            ArchiveRange range, ArchiveOptions options, ArchiveSplit split, FaithfulNeeds needs) {
        return car(range, options, split, needs, null);
    }

    /** With a pushed-down filter the decoder applies per transaction (null: none). */
    public static BlockReader car(
            ArchiveRange range,
            ArchiveOptions options,
            ArchiveSplit split,
            FaithfulNeeds needs,
            FilteredRows.TxFilter filter) {
        return new Car(
                range, options, split, new FaithfulBlockDecoder(range.name(), needs, filter));
    }

    public static BlockReader dag(BlockSource lake, ArchiveSplit split, FaithfulNeeds needs) {
        return dag(lake, split, needs, null);
    }

    /** With a pushed-down filter the decoder applies per transaction (null: none). */
    public static BlockReader dag(
            BlockSource lake,
            ArchiveSplit split,
            FaithfulNeeds needs,
            FilteredRows.TxFilter filter) {
        return new Dag(lake, split, needs, filter);
    }

    private static final class Car extends BlockReader {
        private final ArchiveRange range;
        private final SectionStream sections;
        private final FaithfulBlockDecoder decoder;
        private final PendingNodes pending = new PendingNodes();

        Car(
                ArchiveRange range,
                ArchiveOptions options,
                ArchiveSplit split,
                FaithfulBlockDecoder decoder) {
            this.range = range;
            this.sections = new SectionStream(range, options, split.start(), split.end());
            this.decoder = decoder;
        }

        @Override
        public SolanaBlock next(ArchiveSplit split) throws IOException {
            String slots = slotsLeft(split);
            sections.context(slots);
            for (SectionStream.Section s = sections.next(); s != null; s = sections.next()) {
                FaithfulBlockDecoder.Node node =
                        new FaithfulBlockDecoder.Node(
                                s.buf(), s.cidOffset(), s.dataOffset(), s.dataLength(), s.offset());
                int kind = node.kind();
                if (kind < 0 || kind > FaithfulNodes.DATA_FRAME) {
                    throw new ArchiveException(
                            range.name()
                                    + ": at offset "
                                    + s.offset()
                                    + " ("
                                    + slots
                                    + "): block "
                                    + s.cid()
                                    + (kind < 0
                                            ? " is not an Old Faithful node (a dag-cbor list that"
                                                    + " starts with its kind)"
                                            : " has unknown node kind " + kind)
                                    + "; the file is not an Old Faithful archive or is corrupt");
                }
                if (kind == FaithfulNodes.SUBSET || kind == FaithfulNodes.EPOCH) {
                    continue; // the index over the blocks, after them: not needed to decode
                }
                if (kind != FaithfulNodes.BLOCK) {
                    pending.put(node);
                    continue;
                }
                try {
                    SolanaBlock b = decoder.decode(node, pending, p -> previousHash(split, p));
                    pending.clear();
                    return b;
                } catch (LakesException e) {
                    throw new ArchiveException(e.getMessage(), e);
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
        private final FaithfulBlockDecoder decoder;
        private long position;

        Dag(
                BlockSource lake,
                ArchiveSplit split,
                FaithfulNeeds needs,
                FilteredRows.TxFilter filter) {
            this.lake = lake;
            Cid subset = Cid.parse(split.location());
            this.where = "subset " + subset;
            this.blocks =
                    FaithfulNodes.children(LakeDag.node(lake, subset, FaithfulNodes.SUBSET, where));
            this.decoder = new FaithfulBlockDecoder(where, needs, filter);
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
            FaithfulBlockDecoder.Node node = node(cid, at);
            SolanaBlock b;
            try {
                b =
                        decoder.decode(
                                node,
                                (buf, off, len) ->
                                        node(
                                                Cid.fromBytes(
                                                        Arrays.copyOfRange(buf, off, off + len)),
                                                at),
                                p -> previousHash(split, p));
            } catch (LakesException e) {
                throw new ArchiveException(e.getMessage(), e);
            }
            position++;
            return b;
        }

        private FaithfulBlockDecoder.Node node(Cid cid, String at) {
            byte[] data = LakeDag.bytes(lake, cid, at);
            return new FaithfulBlockDecoder.Node(data, 0, data.length, -1, cid);
        }

        @Override
        public long position() {
            return position;
        }
    }
}
