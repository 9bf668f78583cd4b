package io.ipdm.connectors.solana.archive;

import io.ipdm.connectors.lakes.faithful.FaithfulNodes;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The slot ranges of an archive from Old Faithful's own indexes of it, without scanning it: {@code
 * slot-to-cid} (every slot of the index's epoch looked up: the Block node CID of each slot that has
 * a block) and {@code cid-to-offset-and-size} (where a CID's section lies: 6-byte offset, 3-byte
 * length). Only the Block nodes that end a range are read, with the Entry node that gives their
 * blockhash; what they say is checked against the index (CID, kind, slot), so an index that lies
 * there is reported naming it, the archive, the slot and the offset.
 */
public final class FaithfulIndex {
    static final long SLOTS_PER_EPOCH = 432_000;
    static final String SLOT_TO_CID = "slot-to-cid";
    static final String CID_TO_OFFSET = "cid-to-offset-and-size";

    /** One section of an archive: its CID, offset and length, and its slot if it is a Block. */
    public record Located(Cid cid, long offset, long length, long slot) {}

    /** Consecutive blocks of an archive: one split before hand-out. */
    record Span(long firstSlot, long lastSlot, long start, long end, int blocks, String lastHash) {}

    private final ArchiveRange archive;
    private final ArchiveOptions options;
    private final CompactIndex slots;
    private final CompactIndex offsets;

    private FaithfulIndex(
            ArchiveRange archive,
            ArchiveOptions options,
            CompactIndex slots,
            CompactIndex offsets) {
        this.archive = archive;
        this.options = options;
        this.slots = slots;
        this.offsets = offsets;
    }

    /** The spans of {@code archive} in slot order, {@code splitBlocks} blocks each. */
    static List<Span> spans(ArchiveRange archive, ArchiveOptions options) throws IOException {
        CompactIndex slots = null;
        CompactIndex offsets = null;
        List<CompactIndex> opened = new ArrayList<>();
        try {
            for (String location : options.faithfulIndexes()) {
                CompactIndex index = CompactIndex.open(ArchiveRange.open(location, options));
                opened.add(index);
                switch (index.kind()) {
                    case SLOT_TO_CID -> slots = index;
                    case CID_TO_OFFSET -> offsets = index;
                    default ->
                            throw new ArchiveException(
                                    location
                                            + ": an Old Faithful index of kind \""
                                            + index.kind()
                                            + "\"; the index option takes the archive's "
                                            + SLOT_TO_CID
                                            + " and "
                                            + CID_TO_OFFSET
                                            + " indexes");
                }
            }
            if (slots == null || offsets == null) {
                throw new ArchiveException(
                        archive.name()
                                + ": the index option needs both of the archive's Old Faithful"
                                + " indexes, "
                                + SLOT_TO_CID
                                + " and "
                                + CID_TO_OFFSET
                                + " (the "
                                + (slots == null ? SLOT_TO_CID : CID_TO_OFFSET)
                                + " one is missing); or drop the option to scan the archive");
            }
            if (slots.valueSize() != 36 || offsets.valueSize() != 9) {
                throw new ArchiveException(
                        (slots.valueSize() != 36 ? slots.name() : offsets.name())
                                + ": values of "
                                + (slots.valueSize() != 36
                                        ? slots.valueSize()
                                        : offsets.valueSize())
                                + " bytes; Old Faithful's "
                                + (slots.valueSize() != 36 ? SLOT_TO_CID : CID_TO_OFFSET)
                                + " index has "
                                + (slots.valueSize() != 36 ? 36 : 9));
            }
            return new FaithfulIndex(archive, options, slots, offsets).spans();
        } finally {
            for (CompactIndex i : opened) {
                i.close();
            }
        }
    }

    private List<Span> spans() throws IOException {
        byte[] epochBytes = slots.metadata("epoch");
        if (epochBytes == null || epochBytes.length != 8) {
            throw new ArchiveException(
                    slots.name() + ": the index names no epoch (metadata \"epoch\")");
        }
        long epoch = CompactIndex.le(epochBytes, 0, 8);
        // slot -> CID; an absent slot can match another slot's entry (3-byte hashes), so a CID
        // found for two slots is settled by reading its Block node
        TreeMap<Long, byte[]> bySlot = new TreeMap<>();
        Map<ByteBuffer, List<Long>> byCid = new HashMap<>();
        for (long s = epoch * SLOTS_PER_EPOCH; s < (epoch + 1) * SLOTS_PER_EPOCH; s++) {
            byte[] cid = slots.lookup(le64(s));
            if (cid != null) {
                bySlot.put(s, cid);
                byCid.computeIfAbsent(ByteBuffer.wrap(cid), k -> new ArrayList<>()).add(s);
            }
        }
        for (Map.Entry<ByteBuffer, List<Long>> e : byCid.entrySet()) {
            if (e.getValue().size() > 1) {
                long real = FaithfulNodes.slot(node(e.getKey().array(), -1, FaithfulNodes.BLOCK));
                for (long s : e.getValue()) {
                    if (s != real) {
                        bySlot.remove(s);
                    }
                }
            }
        }
        List<Long> present = new ArrayList<>(bySlot.keySet());
        List<Span> out = new ArrayList<>();
        long start = SlotIndex.firstSection(archive);
        for (int i = 0; i < present.size(); i += options.splitBlocks()) {
            int to = Math.min(present.size(), i + options.splitBlocks());
            long last = present.get(to - 1);
            byte[] cid = bySlot.get(last);
            long[] at = where(cid, last);
            List<?> block = node(cid, last, FaithfulNodes.BLOCK);
            List<Cid> entries = FaithfulNodes.entries(block);
            if (entries.isEmpty()) {
                throw lie(last, at[0], "a Block node that links no Entry node");
            }
            String hash =
                    FaithfulNodes.entryHash(
                            node(
                                    entries.get(entries.size() - 1).toBytes(),
                                    last,
                                    FaithfulNodes.ENTRY));
            long end = at[0] + at[1];
            if (end <= start) {
                throw lie(last, at[0], "a section before the previous range's end, " + start);
            }
            out.add(new Span(present.get(i), last, start, end, to - i, hash));
            start = end;
        }
        return out;
    }

    /** Offset and length of a CID's section, from the cid-to-offset-and-size index. */
    private long[] where(byte[] cid, long slot) throws IOException {
        byte[] v = offsets.lookup(cid);
        if (v == null) {
            throw new ArchiveException(
                    offsets.name()
                            + ": has no offset for "
                            + cidText(cid)
                            + (slot >= 0
                                    ? ", the block of slot " + slot + " in " + slots.name()
                                    : "")
                            + "; the two indexes are not of the same archive: rebuild them, or drop"
                            + " the index option to scan "
                            + archive.name());
        }
        return new long[] {CompactIndex.le(v, 0, 6), CompactIndex.le(v, 6, 3)};
    }

    /** The node the indexes say {@code cid} is, checked: its section's CID, kind and slot. */
    private List<?> node(byte[] cid, long slot, int kind) throws IOException {
        long[] at = where(cid, slot);
        if (at[1] <= 0 || at[1] > options.maxSectionBytes() || at[0] + at[1] > archive.size()) {
            throw lie(
                    slot,
                    at[0],
                    "no section of " + at[1] + " bytes (the archive has " + archive.size() + ")");
        }
        SectionStream.Section sec;
        try (SectionStream s = new SectionStream(archive, options, at[0], at[0] + at[1])) {
            s.context("checking the Old Faithful index");
            sec = s.next();
        } catch (ArchiveException e) {
            throw lie(slot, at[0], "no readable section (" + e.getMessage() + ")");
        }
        Cid expected = cidOf(cid, slot);
        if (sec == null || !sec.cid().equals(expected)) {
            throw lie(
                    slot,
                    at[0],
                    sec == null ? "nothing" : "section " + sec.cid() + " instead of " + expected);
        }
        List<?> node = FaithfulNodes.decode(sec.cid(), sec.data(), archive.name());
        if (FaithfulNodes.kind(node) != kind) {
            throw lie(
                    slot,
                    at[0],
                    "a "
                            + FaithfulNodes.kindName(FaithfulNodes.kind(node))
                            + " node, not a "
                            + FaithfulNodes.kindName(kind)
                            + " node");
        }
        if (kind == FaithfulNodes.BLOCK && slot >= 0 && FaithfulNodes.slot(node) != slot) {
            throw lie(slot, at[0], "the Block node of slot " + FaithfulNodes.slot(node));
        }
        return node;
    }

    private Cid cidOf(byte[] cid, long slot) {
        try {
            return Cid.fromBytes(cid);
        } catch (RuntimeException e) {
            throw new ArchiveException(
                    slots.name()
                            + ": the value for slot "
                            + slot
                            + " is not a CID ("
                            + e.getMessage()
                            + "); the index is corrupt: rebuild it, or drop the index option to"
                            + " scan the archive instead");
        }
    }

    private static String cidText(byte[] cid) {
        try {
            return Cid.fromBytes(cid).toString();
        } catch (RuntimeException e) {
            return "a value that is not a CID";
        }
    }

    private ArchiveException lie(long slot, long offset, String found) {
        return new ArchiveException(
                slots.name()
                        + " and "
                        + offsets.name()
                        + (slot >= 0 ? " place slot " + slot : " place a block")
                        + " at offset "
                        + offset
                        + " of "
                        + archive.name()
                        + ", but the archive has "
                        + found
                        + " there; the indexes do not match the archive: rebuild them, or drop"
                        + " the index option to scan the archive instead");
    }

    /**
     * Writes Old Faithful's two indexes of a local archive of one epoch into {@code dir}, named as
     * Old Faithful names them ({@code epoch-N-ROOT-NETWORK-slot-to-cid.index}, ...), from one scan
     * of its sections. Returns the slot-to-cid and the cid-to-offset-and-size file. A null {@code
     * epoch} is the epoch of the archive's first block.
     */
    public static List<Path> write(Path archive, Long epoch, String network, Path dir)
            throws IOException {
        return write(archive, epoch, network, dir, (bytes, sections, blocks) -> {});
    }

    /** How far the scan of {@link #write(Path, Long, String, Path, ScanProgress)} is. */
    @FunctionalInterface
    public interface ScanProgress {
        /**
         * Called on the scanning thread after each section: bytes of the archive read so far, the
         * sections and the Block nodes among them.
         */
        void scanned(long bytes, long sections, long blocks);
    }

    /** As {@link #write(Path, Long, String, Path)}, telling {@code progress} after each section. */
    public static List<Path> write(
            Path archive, Long epoch, String network, Path dir, ScanProgress progress)
            throws IOException {
        List<Located> sections = sections(archive, progress);
        if (epoch == null) {
            epoch =
                    sections.stream()
                            .filter(l -> l.slot() >= 0)
                            .findFirst()
                            .map(l -> l.slot() / SLOTS_PER_EPOCH)
                            .orElseThrow(
                                    () ->
                                            new ArchiveException(
                                                    archive
                                                            + ": no Block node, so no epoch to"
                                                            + " index; is this an Old Faithful"
                                                            + " archive?"));
        }
        java.nio.file.Files.createDirectories(dir);
        String prefix =
                "epoch-"
                        + epoch
                        + "-"
                        + sections.get(sections.size() - 1).cid()
                        + "-"
                        + network
                        + "-";
        return write(
                sections,
                epoch,
                network,
                dir.resolve(prefix + SLOT_TO_CID + ".index"),
                dir.resolve(prefix + CID_TO_OFFSET + ".index"),
                l -> l,
                m -> {});
    }

    /** Every section of a local archive, in order. */
    static List<Located> sections(Path archive) throws IOException {
        return sections(archive, (bytes, sections, blocks) -> {});
    }

    private static List<Located> sections(Path archive, ScanProgress progress) throws IOException {
        long blocks = 0;
        ArchiveOptions o = ArchiveOptions.of(List.of(archive.toString()));
        List<Located> out = new ArrayList<>();
        try (ArchiveRange range = ArchiveRange.open(archive.toString(), o);
                SectionStream s =
                        new SectionStream(range, o, SlotIndex.firstSection(range), range.size())) {
            s.context("writing Old Faithful's indexes");
            for (SectionStream.Section sec = s.next(); sec != null; sec = s.next()) {
                long slot = -1;
                if (SlotIndex.kindOf(sec.data()) == FaithfulNodes.BLOCK) {
                    slot =
                            FaithfulNodes.slot(
                                    FaithfulNodes.decode(
                                            sec.cid(), sec.data(), archive.toString()));
                }
                out.add(new Located(sec.cid(), sec.offset(), sec.end() - sec.offset(), slot));
                blocks += slot >= 0 ? 1 : 0;
                progress.scanned(sec.end(), out.size(), blocks);
            }
        }
        return out;
    }

    /**
     * Writes the pair from {@code sections}; {@code place} may change where a section is said to
     * be, {@code slots} which CID a slot is said to have (tests write indexes that lie this way).
     * The root CID in the metadata is the last section's (an archive ends with its Epoch node).
     */
    static List<Path> write(
            List<Located> sections,
            long epoch,
            String network,
            Path slotFile,
            Path offsetFile,
            UnaryOperator<Located> place,
            Consumer<Map<Long, Cid>> slots)
            throws IOException {
        List<byte[][]> slotToCid = new ArrayList<>();
        List<byte[][]> cidToOffset = new ArrayList<>();
        Map<Long, Cid> bySlot = new LinkedHashMap<>();
        for (Located original : sections) {
            Located s = place.apply(original);
            byte[] v = new byte[9];
            System.arraycopy(le(s.offset(), 6), 0, v, 0, 6);
            System.arraycopy(le(s.length(), 3), 0, v, 6, 3);
            cidToOffset.add(new byte[][] {s.cid().toBytes(), v});
            if (original.slot() >= 0) {
                bySlot.put(original.slot(), original.cid());
            }
        }
        slots.accept(bySlot);
        bySlot.forEach((slot, cid) -> slotToCid.add(new byte[][] {le64(slot), cid.toBytes()}));
        Cid root = sections.get(sections.size() - 1).cid();
        CompactIndex.write(slotFile, 36, metadata(SLOT_TO_CID, epoch, root, network), slotToCid);
        CompactIndex.write(
                offsetFile, 9, metadata(CID_TO_OFFSET, epoch, root, network), cidToOffset);
        return List.of(slotFile, offsetFile);
    }

    private static Map<String, byte[]> metadata(String kind, long epoch, Cid root, String network) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("epoch", le64(epoch));
        m.put("rootCid", root.toBytes());
        m.put("network", network.getBytes(StandardCharsets.UTF_8));
        m.put("kind", kind.getBytes(StandardCharsets.UTF_8));
        return m;
    }

    private static byte[] le(long v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
