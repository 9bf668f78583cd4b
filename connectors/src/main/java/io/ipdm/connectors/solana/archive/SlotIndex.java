package io.ipdm.connectors.solana.archive;

import io.ipdm.connectors.lakes.faithful.FaithfulNodes;
import io.ipdm.lakes.ipld.DagCbor;
import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Where each block of an Old Faithful archive lies: for every Block node, in file order, its slot,
 * the byte range from the end of the previous Block section (Old Faithful writes a block's
 * transactions, entries and rewards before it) to the end of its own section, its parent slot and
 * its blockhash. Built by one scan of the archive and cached: next to a local archive as {@code
 * <archive>.slots}, for a URL under the index directory by a hash of the URL. A cached index whose
 * archive size differs is rebuilt.
 *
 * <pre>
 * file: "IPDMSLOT" u32(version=1) u64(archive size) u32(count) entry*
 * entry: u64(slot) u64(start) u64(end) u64(parent slot) bytes[32](blockhash)
 * </pre>
 *
 * An index that lies (stale or tampered) is caught by the reader: a split that does not end in the
 * Block node of the slot the index names fails, naming the index file and the offset.
 */
public final class SlotIndex {
    private static final byte[] MAGIC = "IPDMSLOT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /** One block's place in the archive. */
    public record Entry(long slot, long start, long end, long parentSlot, String blockhash) {}

    private final String archive;
    private final String file;
    private final long archiveSize;
    private final List<Entry> entries;

    SlotIndex(String archive, String file, long archiveSize, List<Entry> entries) {
        this.archive = archive;
        this.file = file;
        this.archiveSize = archiveSize;
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The index file (for messages), or the archive name when it was not saved. */
    public String file() {
        return file;
    }

    public String archive() {
        return archive;
    }

    /** Where the index of {@code location} is kept. */
    public static Path pathFor(String location, String indexDir) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            Path dir =
                    indexDir != null
                            ? Path.of(indexDir)
                            : Path.of(System.getProperty("java.io.tmpdir"), "ipdm-slot-index");
            return dir.resolve(sha256(location).substring(0, 32) + ".slots");
        }
        if (indexDir != null) {
            return Path.of(indexDir).resolve(Path.of(location).getFileName() + ".slots");
        }
        return Path.of(location + ".slots");
    }

    /** The cached index of the archive, or a scan of it saved for next time. */
    public static SlotIndex load(ArchiveRange range, ArchiveOptions options) throws IOException {
        Path path = pathFor(range.name(), options.indexDir());
        long size = range.size();
        if (Files.isRegularFile(path) && !olderThanLocalArchive(path, range.name())) {
            SlotIndex cached = read(path, range.name());
            if (cached != null && cached.archiveSize == size) {
                return cached;
            }
        }
        SlotIndex built = scan(range, options, path.toString());
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            Files.write(tmp, built.encode());
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // a read-only place: the index is rebuilt next time, nothing is wrong with the data
        }
        return built;
    }

    /**
     * Whether a local archive was written after its cached index: the size alone does not tell a
     * rewrite of the same length (say, another epoch's archive copied over it).
     */
    private static boolean olderThanLocalArchive(Path index, String location) throws IOException {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return false;
        }
        Path archive = Path.of(location);
        return Files.isRegularFile(archive)
                && Files.getLastModifiedTime(index).compareTo(Files.getLastModifiedTime(archive))
                        < 0;
    }

    /** The offset of the first section: after the CARv1 header. */
    public static long firstSection(ArchiveRange range) throws IOException {
        byte[] head = range.read(0, Varint.MAX_BYTES, "the CAR header");
        Varint.Decoded len;
        try {
            len = Varint.read(head, 0, head.length);
        } catch (MultiformatException e) {
            throw new ArchiveException(range.name() + ": not a CAR file: " + e.getMessage());
        }
        if (len.value() <= 0 || len.value() > 1 << 20) {
            throw new ArchiveException(
                    range.name() + ": not a CAR file (header length " + len.value() + ")");
        }
        byte[] header = range.read(len.length(), (int) len.value(), "the CAR header");
        Object h;
        try {
            h = DagCbor.decode(header);
        } catch (RuntimeException e) {
            throw new ArchiveException(
                    range.name() + ": not a CAR file (its header is not dag-cbor)");
        }
        if (!(h instanceof Map<?, ?> m) || !Long.valueOf(1).equals(m.get("version"))) {
            throw new ArchiveException(
                    range.name()
                            + ": an Old Faithful archive is a CARv1 file; this header is "
                            + h);
        }
        return len.length() + len.value();
    }

    /** Scans the archive once. */
    static SlotIndex scan(ArchiveRange range, ArchiveOptions options, String file)
            throws IOException {
        long size = range.size();
        long start = firstSection(range);
        List<Entry> out = new ArrayList<>();
        Map<Cid, byte[]> entryHashes = new HashMap<>();
        long blockStart = start;
        try (SectionStream s = new SectionStream(range, options, start, size)) {
            s.context("building the slot index");
            for (SectionStream.Section sec = s.next(); sec != null; sec = s.next()) {
                int kind = kindOf(sec.data());
                if (kind == FaithfulNodes.ENTRY) {
                    List<?> e = FaithfulNodes.decode(sec.cid(), sec.data(), range.name());
                    entryHashes.put(sec.cid(), (byte[]) e.get(2));
                } else if (kind == FaithfulNodes.BLOCK) {
                    List<?> b = FaithfulNodes.decode(sec.cid(), sec.data(), range.name());
                    List<Cid> entries = FaithfulNodes.entries(b);
                    byte[] hash =
                            entries.isEmpty()
                                    ? null
                                    : entryHashes.get(entries.get(entries.size() - 1));
                    if (hash == null) {
                        throw new ArchiveException(
                                range.name()
                                        + ": at offset "
                                        + sec.offset()
                                        + ": the Block node of slot "
                                        + FaithfulNodes.slot(b)
                                        + " links no entry written before it");
                    }
                    long slot = FaithfulNodes.slot(b);
                    if (!out.isEmpty() && slot <= out.get(out.size() - 1).slot()) {
                        throw new ArchiveException(
                                range.name()
                                        + ": at offset "
                                        + sec.offset()
                                        + ": slot "
                                        + slot
                                        + " follows slot "
                                        + out.get(out.size() - 1).slot()
                                        + "; blocks of an archive must be in slot order");
                    }
                    out.add(
                            new Entry(
                                    slot,
                                    blockStart,
                                    sec.end(),
                                    FaithfulNodes.parentSlot(b),
                                    Base58.encode(hash)));
                    blockStart = sec.end();
                    entryHashes.clear();
                }
            }
        }
        return new SlotIndex(range.name(), file, size, out);
    }

    /** The node kind from the first bytes of a dag-cbor list ({@code [kind, ...]}), or -1. */
    static int kindOf(byte[] data) {
        if (data.length >= 2 && (data[0] & 0xE0) == 0x80 && data[1] >= 0 && data[1] <= 23) {
            return data[1];
        }
        return -1;
    }

    byte[] encode() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(archiveSize);
        out.writeInt(entries.size());
        for (Entry e : entries) {
            out.writeLong(e.slot());
            out.writeLong(e.start());
            out.writeLong(e.end());
            out.writeLong(e.parentSlot());
            out.write(Base58.decode(e.blockhash()));
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** The index in {@code path}, or null when it is not one (then it is rebuilt). */
    static SlotIndex read(Path path, String archive) throws IOException {
        byte[] b = Files.readAllBytes(path);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC) || in.readInt() != VERSION) {
                return null;
            }
            long size = in.readLong();
            int n = in.readInt();
            if (n < 0 || (long) n * 64 > b.length) {
                return null;
            }
            List<Entry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long slot = in.readLong();
                long start = in.readLong();
                long end = in.readLong();
                long parent = in.readLong();
                entries.add(new Entry(slot, start, end, parent, Base58.encode(in.readNBytes(32))));
            }
            return new SlotIndex(archive, path.toString(), size, entries);
        } catch (java.io.EOFException e) {
            return null;
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
