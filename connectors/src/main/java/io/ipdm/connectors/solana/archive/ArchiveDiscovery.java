package io.ipdm.connectors.solana.archive;

import io.ipdm.connectors.lakes.LakeBlocks;
import io.ipdm.connectors.lakes.faithful.FaithfulNodes;
import io.ipdm.connectors.solana.archive.split.ArchiveSplit;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts the archives into slot-range splits of {@code split_blocks} blocks, lowest slot first: from
 * Old Faithful's own indexes of the archive when given ({@link FaithfulIndex}), else from each
 * archive's scan-built {@link SlotIndex}, or for a root CID from the Subset nodes' block lists. The
 * block before each split is remembered so its first block gets its parent's blockhash.
 */
public final class ArchiveDiscovery {
    /**
     * The splits, the last slot they cover (where a live hand-off starts after), and what the user
     * should hear once about how they are read (e.g. an archive whose server has no range reads).
     */
    public record Result(List<ArchiveSplit> splits, long lastSlot, List<String> notices) {
        public Result {
            splits = List.copyOf(splits);
            notices = List.copyOf(notices);
        }

        public Result(List<ArchiveSplit> splits, long lastSlot) {
            this(splits, lastSlot, List.of());
        }
    }

    private ArchiveDiscovery() {}

    public static Result discover(ArchiveOptions options) throws IOException {
        return options.cid() != null ? dag(options) : archives(options);
    }

    private static Result archives(ArchiveOptions options) throws IOException {
        // per archive, its blocks in split-sized spans: from Old Faithful's indexes when given,
        // else from the slot index built by a scan (cached)
        record Archive(String name, String index, List<FaithfulIndex.Span> spans) {}
        List<Archive> archives = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        for (String location : options.locations()) {
            try (ArchiveRange range = ArchiveRange.open(location, options)) {
                Archive a;
                if (!options.faithfulIndexes().isEmpty()) {
                    a =
                            new Archive(
                                    range.name(),
                                    String.join(" and ", options.faithfulIndexes()),
                                    FaithfulIndex.spans(range, options));
                } else {
                    SlotIndex index = SlotIndex.load(range, options);
                    a = new Archive(index.archive(), index.file(), spans(index, options));
                }
                if (!range.randomAccess() && a.spans().size() > 1) {
                    // each split would download the archive up to its start: read it in one
                    a = new Archive(a.name(), a.index(), List.of(whole(a.spans())));
                }
                if (!range.randomAccess()) {
                    notices.add(
                            a.name()
                                    + ": the server has no range reads (it answers a Range request"
                                    + " with the whole archive), so the archive is read as one"
                                    + " stream in order by one reader, not range-parallel; serve it"
                                    + " from a server with range support for parallel reads");
                }
                if (!a.spans().isEmpty()) {
                    archives.add(a);
                }
            }
        }
        archives.sort(Comparator.comparingLong(a -> a.spans().get(0).firstSlot()));
        List<ArchiveSplit> splits = new ArrayList<>();
        long prevSlot = -1;
        String prevHash = FaithfulNodes.ZERO_HASH;
        String prevArchive = null;
        for (Archive a : archives) {
            long first = a.spans().get(0).firstSlot();
            if (first <= prevSlot) {
                throw new ArchiveException(
                        a.name()
                                + " starts at slot "
                                + first
                                + ", inside "
                                + prevArchive
                                + " (which ends at slot "
                                + prevSlot
                                + "); give archives whose slot ranges do not overlap");
            }
            for (FaithfulIndex.Span span : a.spans()) {
                splits.add(
                        new ArchiveSplit(
                                ArchiveSplit.CAR,
                                a.name(),
                                a.index(),
                                span.start(),
                                span.end(),
                                span.firstSlot(),
                                span.lastSlot(),
                                prevSlot,
                                prevHash,
                                span.blocks(),
                                0));
                prevSlot = span.lastSlot();
                prevHash = span.lastHash();
            }
            prevArchive = a.name();
        }
        return new Result(splits, prevSlot, notices);
    }

    /** One span over consecutive spans. */
    private static FaithfulIndex.Span whole(List<FaithfulIndex.Span> spans) {
        FaithfulIndex.Span first = spans.get(0);
        FaithfulIndex.Span last = spans.get(spans.size() - 1);
        return new FaithfulIndex.Span(
                first.firstSlot(),
                last.lastSlot(),
                first.start(),
                last.end(),
                spans.stream().mapToInt(FaithfulIndex.Span::blocks).sum(),
                last.lastHash());
    }

    /** The scan-built index's blocks, {@code splitBlocks} per span. */
    private static List<FaithfulIndex.Span> spans(SlotIndex index, ArchiveOptions options) {
        List<SlotIndex.Entry> e = index.entries();
        List<FaithfulIndex.Span> out = new ArrayList<>();
        for (int i = 0; i < e.size(); i += options.splitBlocks()) {
            int to = Math.min(e.size(), i + options.splitBlocks());
            out.add(
                    new FaithfulIndex.Span(
                            e.get(i).slot(),
                            e.get(to - 1).slot(),
                            e.get(i).start(),
                            e.get(to - 1).end(),
                            to - i,
                            e.get(to - 1).blockhash()));
        }
        return out;
    }

    private static Result dag(ArchiveOptions options) {
        Cid root = Cid.parse(options.cid());
        List<ArchiveSplit> splits = new ArrayList<>();
        long prevSlot = -1;
        String prevHash = FaithfulNodes.ZERO_HASH;
        try (LakeBlocks lake =
                LakeBlocks.open(options.lakeDir(), options.peers(), options.requestTimeout())) {
            String where = "root " + root + " in lake " + options.lakeDir();
            List<?> top = LakeDag.node(lake, root, where);
            List<Cid> subsets =
                    switch (FaithfulNodes.kind(top)) {
                        case FaithfulNodes.EPOCH -> FaithfulNodes.children(top);
                        case FaithfulNodes.SUBSET -> List.of(root);
                        default ->
                                throw new ArchiveException(
                                        where
                                                + ": a "
                                                + FaithfulNodes.kindName(FaithfulNodes.kind(top))
                                                + " node; an archive root is an Epoch or Subset node");
                    };
            for (Cid subsetCid : subsets) {
                List<?> subset = LakeDag.node(lake, subsetCid, FaithfulNodes.SUBSET, where);
                List<Cid> blocks = FaithfulNodes.children(subset);
                for (int i = 0; i < blocks.size(); i += options.splitBlocks()) {
                    int to = Math.min(blocks.size(), i + options.splitBlocks());
                    String at = "subset " + subsetCid;
                    long first =
                            FaithfulNodes.slot(
                                    LakeDag.node(lake, blocks.get(i), FaithfulNodes.BLOCK, at));
                    List<?> lastBlock =
                            LakeDag.node(lake, blocks.get(to - 1), FaithfulNodes.BLOCK, at);
                    long last = FaithfulNodes.slot(lastBlock);
                    if (first <= prevSlot || last < first) {
                        throw new ArchiveException(
                                at + ": blocks are not in slot order at slot " + first);
                    }
                    splits.add(
                            new ArchiveSplit(
                                    ArchiveSplit.DAG,
                                    subsetCid.toString(),
                                    "",
                                    i,
                                    to,
                                    first,
                                    last,
                                    prevSlot,
                                    prevHash,
                                    to - i,
                                    0));
                    prevSlot = last;
                    prevHash = LakeDag.blockhash(lake, lastBlock, at);
                }
            }
        }
        return new Result(splits, prevSlot);
    }
}
