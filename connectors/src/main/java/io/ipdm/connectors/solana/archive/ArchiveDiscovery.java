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
        record Archive(
                String name, String index, List<FaithfulIndex.Span> spans, List<Long> times) {}
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
                                    FaithfulIndex.spans(range, options),
                                    List.of());
                } else {
                    SlotIndex index = SlotIndex.load(range, options);
                    a =
                            new Archive(
                                    index.archive(),
                                    index.file(),
                                    spans(index, options),
                                    List.of());
                }
                if (!range.randomAccess() && a.spans().size() > 1) {
                    // each split would download the archive up to its start: read it in one
                    a = new Archive(a.name(), a.index(), List.of(whole(a.spans())), List.of());
                }
                if (!range.randomAccess()) {
                    notices.add(
                            a.name()
                                    + ": the server has no range reads (it answers a Range request"
                                    + " with the whole archive), so the archive is read as one"
                                    + " stream in order by one reader, not range-parallel; serve it"
                                    + " from a server with range support for parallel reads");
                }
                if (options.locations().size() > 1) {
                    // several archives may be several chains: their splits go by block time
                    List<Long> times = new ArrayList<>();
                    for (FaithfulIndex.Span span : a.spans()) {
                        times.add(firstBlockTime(range, options, span));
                    }
                    a = new Archive(a.name(), a.index(), a.spans(), times);
                }
                if (!a.spans().isEmpty()) {
                    archives.add(a);
                }
            }
        }
        archives.sort(Comparator.comparingLong(a -> a.spans().get(0).firstSlot()));
        record Timed(ArchiveSplit split, long time) {}
        List<Timed> splits = new ArrayList<>();
        long prevSlot = -1;
        String prevHash = FaithfulNodes.ZERO_HASH;
        long lastSlot = -1;
        for (Archive a : archives) {
            long first = a.spans().get(0).firstSlot();
            if (first <= prevSlot) {
                // slot ranges overlap: another chain (network), or the same blocks twice
                refuseSharedSlots(options);
                prevSlot = -1;
                prevHash = FaithfulNodes.ZERO_HASH;
            }
            for (int i = 0; i < a.spans().size(); i++) {
                FaithfulIndex.Span span = a.spans().get(i);
                splits.add(
                        new Timed(
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
                                        0),
                                a.times().isEmpty() ? Long.MIN_VALUE : a.times().get(i)));
                prevSlot = span.lastSlot();
                prevHash = span.lastHash();
            }
            lastSlot = Math.max(lastSlot, prevSlot);
        }
        if (archives.size() > 1) {
            // one chain's slot order is its time order, but not across chains: mainnet and devnet
            // archives are read by their splits' first block times, so event time keeps rising
            // (a stable sort: splits without a time keep their slot order, first)
            splits.sort(Comparator.comparingLong(Timed::time));
        }
        return new Result(splits.stream().map(Timed::split).toList(), lastSlot, notices);
    }

    /**
     * Refuses archives that share a slot (the same blocks given twice, or overlapping archives of
     * one chain); archives of different chains may overlap in slot numbers without sharing one.
     */
    private static void refuseSharedSlots(ArchiveOptions options) throws IOException {
        // the shared slots are found in the slot indexes (cached by the discovery above)
        java.util.Map<Long, Integer> seen = new java.util.HashMap<>();
        List<String> locations = options.locations();
        for (int i = 0; i < locations.size(); i++) {
            try (ArchiveRange range = ArchiveRange.open(locations.get(i), options)) {
                for (SlotIndex.Entry e : SlotIndex.load(range, options).entries()) {
                    Integer other = seen.putIfAbsent(e.slot(), i);
                    if (other != null && other != i) {
                        String what =
                                locations.get(other).equals(locations.get(i))
                                        ? range.name()
                                                + " is given twice (slot "
                                                + e.slot()
                                                + " would be read twice)"
                                        : range.name()
                                                + " and "
                                                + locations.get(other)
                                                + " both hold slot "
                                                + e.slot();
                        throw new ArchiveException(
                                what
                                        + "; give each archive once, and archives of one chain"
                                        + " whose slot ranges do not overlap");
                    }
                }
            }
        }
    }

    /**
     * The block time of a span's first block (unix seconds), or Long.MIN_VALUE when it has none:
     * the sections from the span's start are read up to its first Block node.
     */
    private static long firstBlockTime(
            ArchiveRange range, ArchiveOptions options, FaithfulIndex.Span span)
            throws IOException {
        ArchiveOptions once =
                options.with(
                        options.indexDir(),
                        options.splitBlocks(),
                        options.maxAttempts(),
                        options.initialBackoff(),
                        options.requestTimeout(),
                        ArchiveOptions.Prefetch.OFF, // one block is read, nothing after it
                        options.chunkBytes());
        try (SectionStream s = new SectionStream(range, once, span.start(), span.end())) {
            s.context("the block time of slot " + span.firstSlot());
            for (SectionStream.Section sec = s.next(); sec != null; sec = s.next()) {
                byte[] b = sec.buf();
                int o = sec.dataOffset();
                if (sec.dataLength() >= 2
                        && (b[o] & 0xE0) == 0x80
                        && b[o + 1] == FaithfulNodes.BLOCK) {
                    List<?> block = FaithfulNodes.decode(sec.cid(), sec.data(), range.name());
                    List<?> meta = (List<?>) block.get(4);
                    return meta.size() > 1 && meta.get(1) instanceof Long t && t != 0
                            ? t
                            : Long.MIN_VALUE;
                }
            }
        }
        return Long.MIN_VALUE;
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
