package io.ipdm.lakes.store;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.car.CarWriter;
import io.ipdm.lakes.piece.CommP;
import io.ipdm.lakes.piece.PieceCommitment;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cold tier: blocks packed into CARv1 archives of about {@code targetArchiveBytes} (sized for
 * storage deals), each sealed with a manifest carrying its piece CIDs. A local RocksDB index maps
 * CID -> (archive, offset, length).
 *
 * <p>Crash safety: {@link #putAll} appends sections, syncs the archive, then commits the index
 * entries with a synced write, and only then returns, so an acknowledged block is on disk and
 * indexed. On open, every archive without a manifest is scanned with CID verification; a torn or
 * corrupt tail is cut off by rewriting the valid prefix to a new file that atomically replaces the
 * old one (nothing is appended to or truncated in place), its blocks are re-indexed, and it is
 * sealed. Reads verify every block against its CID, so a damaged archive is never served.
 * Thread-safe: writes are serialised, reads run concurrently.
 */
public final class ColdTier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ColdTier.class);
    private static final Pattern ARCHIVE = Pattern.compile("archive-(\\d{6})\\.car");
    private static final String MANIFEST_SUFFIX = ".manifest.json";

    static {
        RocksDB.loadLibrary();
    }

    /** Where a block lives. */
    public record Location(String archive, long offset, int length) {}

    private final ArchiveStorage storage;
    private final long targetArchiveBytes;
    private final RocksDB index;
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);
    private int nextNumber = 1;
    private String activeName;
    private ArchiveStorage.Output active;
    private long activeBlocks;

    public ColdTier(ArchiveStorage storage, Path indexDir, long targetArchiveBytes)
            throws IOException {
        if (targetArchiveBytes < 1024) {
            throw new LakesException(
                    "cold archive target size must be at least 1024 bytes, got "
                            + targetArchiveBytes);
        }
        this.storage = storage;
        this.targetArchiveBytes = targetArchiveBytes;
        java.nio.file.Files.createDirectories(indexDir);
        try (Options o = new Options().setCreateIfMissing(true)) {
            this.index = RocksDB.open(o, indexDir.toString());
        } catch (RocksDBException e) {
            throw new IOException(
                    "cannot open cold index at " + indexDir + ": " + e.getMessage(), e);
        }
        recover();
    }

    static String archiveName(int n) {
        return String.format("archive-%06d.car", n);
    }

    public static String manifestName(String archive) {
        return archive + MANIFEST_SUFFIX;
    }

    private void recover() throws IOException {
        List<String> names = storage.list();
        for (String n : names) {
            if (n.endsWith(".tmp") || n.endsWith(".rebuild")) {
                storage.delete(n);
            }
        }
        for (String n : names) {
            // a collection deletes an archive before its manifest: drop a manifest left alone
            if (n.endsWith(MANIFEST_SUFFIX)
                    && !names.contains(n.substring(0, n.length() - MANIFEST_SUFFIX.length()))) {
                storage.delete(n);
            }
        }
        for (String n : names) {
            Matcher m = ARCHIVE.matcher(n);
            if (!m.matches()) {
                continue;
            }
            nextNumber = Math.max(nextNumber, Integer.parseInt(m.group(1)) + 1);
            if (!names.contains(manifestName(n))) {
                recoverUnsealed(n);
            }
        }
    }

    /**
     * Keeps the verified prefix of an archive a crash left unsealed, re-indexes it and seals it.
     */
    private void recoverUnsealed(String name) throws IOException {
        List<CarReader.Section> good = new ArrayList<>();
        String problem = null;
        try (InputStream in = storage.openSequential(name);
                CarReader r = CarReader.open(in)) {
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                good.add(s);
            }
        } catch (CarException | MultiformatException e) {
            problem = e.getMessage();
        }
        if (good.isEmpty()) {
            LOG.warn("cold archive {} holds no complete block ({}); discarding it", name, problem);
            storage.delete(name);
            return;
        }
        if (problem != null) {
            LOG.warn(
                    "cold archive {} is torn after {} blocks ({}); rebuilding it",
                    name,
                    good.size(),
                    problem);
            String tmp = name + ".rebuild";
            try (ArchiveStorage.Output out = storage.create(tmp)) {
                CarWriter w = new CarWriter(new OutputAdapter(out), List.of());
                List<CarReader.Section> rewritten = new ArrayList<>();
                for (CarReader.Section s : good) {
                    long off = w.write(s.block());
                    rewritten.add(new CarReader.Section(s.block(), off, s.length(), 0));
                }
                out.sync();
                good = rewritten;
            }
            storage.rename(tmp, name);
        }
        try (WriteBatch batch = new WriteBatch()) {
            int number = numberOf(name);
            for (CarReader.Section s : good) {
                batch.put(s.block().cid().toBytes(), location(number, s.offset(), s.length()));
            }
            index.write(syncWrites, batch);
        } catch (RocksDBException e) {
            throw new IOException("cold index write failed: " + e.getMessage(), e);
        }
        seal(name, good.size());
    }

    private static int numberOf(String archive) {
        Matcher m = ARCHIVE.matcher(archive);
        if (!m.matches()) {
            throw new LakesException("not an archive name: " + archive);
        }
        return Integer.parseInt(m.group(1));
    }

    private static byte[] location(int archive, long offset, int length) {
        return ByteBuffer.allocate(16).putInt(archive).putLong(offset).putInt(length).array();
    }

    /**
     * Appends blocks (each checked against its CID) and returns once they are durable and indexed.
     */
    public synchronized void putAll(List<Block> blocks) throws IOException {
        if (blocks.isEmpty()) {
            return;
        }
        if (active == null) {
            activeName = archiveName(nextNumber++);
            active = storage.create(activeName);
            activeBlocks = 0;
            new CarWriter(new OutputAdapter(active), List.of());
        }
        int number = numberOf(activeName);
        try (WriteBatch batch = new WriteBatch()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            java.util.Set<Cid> seen = new java.util.HashSet<>();
            for (Block b : blocks) {
                b.verified();
                if (!seen.add(b.cid()) || has(b.cid())) {
                    continue;
                }
                buf.reset();
                byte[] cid = b.cid().toBytes();
                buf.write(Varint.encode((long) cid.length + b.data().length));
                buf.write(cid);
                buf.write(b.data());
                long offset = active.position();
                active.write(buf.toByteArray(), 0, buf.size());
                batch.put(cid, location(number, offset, buf.size()));
                activeBlocks++;
            }
            active.sync();
            index.write(syncWrites, batch);
        } catch (RocksDBException e) {
            throw new IOException("cold index write failed: " + e.getMessage(), e);
        }
        if (active.position() >= targetArchiveBytes) {
            sealActive();
        }
    }

    /** Closes the archive being filled and seals it, even if it is below the target size. */
    public synchronized void sealActive() throws IOException {
        if (active == null) {
            return;
        }
        active.sync();
        active.close();
        active = null;
        seal(activeName, activeBlocks);
    }

    private ArchiveManifest seal(String name, long blocks) throws IOException {
        CommP commP = new CommP();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = storage.openSequential(name)) {
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                commP.update(buf, 0, n);
            }
        }
        PieceCommitment pc = commP.finish();
        ArchiveManifest m =
                new ArchiveManifest(
                        name,
                        blocks,
                        pc.payloadSize(),
                        pc.paddedPieceSize(),
                        pc.cidV1(),
                        pc.cidV2());
        String tmp = manifestName(name) + ".tmp";
        try (ArchiveStorage.Output out = storage.create(tmp)) {
            byte[] json = m.toJson();
            out.write(json, 0, json.length);
            out.sync();
        }
        storage.rename(tmp, manifestName(name));
        LOG.info("sealed cold archive {}: {} blocks, piece {}", name, blocks, m.pieceCidV1());
        return m;
    }

    public Location locate(Cid cid) {
        try {
            byte[] v = index.get(cid.toBytes());
            if (v == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(v);
            return new Location(archiveName(b.getInt()), b.getLong(), b.getInt());
        } catch (RocksDBException e) {
            throw new LakesException("cold index read failed: " + e.getMessage(), e);
        }
    }

    public boolean has(Cid cid) {
        return locate(cid) != null;
    }

    /** The block, verified against its CID, or null when the cold tier does not hold it. */
    public Block get(Cid cid) throws IOException {
        Location loc = locate(cid);
        return loc == null ? null : read(cid, loc);
    }

    Block read(Cid cid, Location loc) throws IOException {
        return parseSection(cid, loc, storage.read(loc.archive(), loc.offset(), loc.length()));
    }

    private static Block parseSection(Cid cid, Location loc, byte[] section) {
        Varint.Decoded len = Varint.read(section, 0);
        int[] n = new int[1];
        Cid found = Cid.read(section, len.length(), section.length, n);
        byte[] data = java.util.Arrays.copyOfRange(section, len.length() + n[0], section.length);
        if (!found.equals(cid) || !cid.verifies(data)) {
            throw new LakesException(
                    "cold archive "
                            + loc.archive()
                            + " is corrupt at offset "
                            + loc.offset()
                            + ": block "
                            + cid
                            + " does not verify");
        }
        return new Block(cid, data);
    }

    /**
     * Reads many blocks with as few storage requests as possible: sections of the same archive that
     * lie within {@code maxGap} bytes of each other are fetched in one positional read. Blocks the
     * cold tier does not hold are left out. Every block is verified.
     */
    public List<Block> getRange(List<Cid> cids, int maxGap) throws IOException {
        record Want(Cid cid, Location loc) {}
        java.util.Map<String, List<Want>> byArchive = new java.util.TreeMap<>();
        for (Cid c : cids) {
            Location loc = locate(c);
            if (loc != null) {
                byArchive
                        .computeIfAbsent(loc.archive(), a -> new ArrayList<>())
                        .add(new Want(c, loc));
            }
        }
        List<Block> out = new ArrayList<>();
        for (var e : byArchive.entrySet()) {
            List<Want> wants = e.getValue();
            wants.sort(java.util.Comparator.comparingLong(w -> w.loc().offset()));
            int i = 0;
            while (i < wants.size()) {
                long start = wants.get(i).loc().offset();
                long end = start + wants.get(i).loc().length();
                int j = i + 1;
                while (j < wants.size()
                        && wants.get(j).loc().offset() - end <= maxGap
                        && wants.get(j).loc().offset() + wants.get(j).loc().length() - start
                                <= (16 << 20)) {
                    end = Math.max(end, wants.get(j).loc().offset() + wants.get(j).loc().length());
                    j++;
                }
                byte[] span = storage.read(e.getKey(), start, (int) (end - start));
                for (int k = i; k < j; k++) {
                    Location loc = wants.get(k).loc();
                    int from = (int) (loc.offset() - start);
                    byte[] section = java.util.Arrays.copyOfRange(span, from, from + loc.length());
                    out.add(parseSection(wants.get(k).cid(), loc, section));
                }
                i = j;
            }
        }
        return out;
    }

    /** Drops a block from the index (archives are immutable; space is reclaimed by repacking). */
    public void forget(Cid cid) {
        try {
            index.delete(syncWrites, cid.toBytes());
        } catch (RocksDBException e) {
            throw new LakesException("cold index delete failed: " + e.getMessage(), e);
        }
    }

    /** What {@link #collect} freed: blocks, section bytes, archives deleted and repacked. */
    public record Collected(
            long blocks, long bytes, List<String> deleted, List<ArchiveManifest> repacked) {}

    private record Indexed(Cid cid, Location loc) {}

    /**
     * Drops every block {@code live} rejects. An archive left with no live block is deleted; one
     * with some is repacked: its live blocks are copied to a new archive, which is synced and
     * sealed (new piece CID and manifest) before the index moves to it, and only then is the old
     * archive deleted, then its manifest. A crash at any point leaves every live block indexed in
     * an archive that holds it; what is left over (an unreferenced archive, a lone manifest) is
     * removed by the next collection or on open.
     */
    public synchronized Collected collect(java.util.function.Predicate<Cid> live)
            throws IOException {
        sealActive();
        java.util.Map<String, List<Indexed>> byArchive = new java.util.TreeMap<>();
        try (org.rocksdb.RocksIterator it = index.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                ByteBuffer b = ByteBuffer.wrap(it.value());
                Location loc = new Location(archiveName(b.getInt()), b.getLong(), b.getInt());
                byArchive
                        .computeIfAbsent(loc.archive(), a -> new ArrayList<>())
                        .add(new Indexed(Cid.fromBytes(it.key()), loc));
            }
        }
        long blocks = 0;
        long bytes = 0;
        List<String> deleted = new ArrayList<>();
        List<ArchiveManifest> repacked = new ArrayList<>();
        for (String n : storage.list()) {
            if (ARCHIVE.matcher(n).matches() && !byArchive.containsKey(n)) {
                bytes += storage.size(n);
                deleteArchive(n);
                deleted.add(n);
            }
        }
        for (var e : byArchive.entrySet()) {
            List<Indexed> keep = new ArrayList<>();
            List<Indexed> drop = new ArrayList<>();
            for (Indexed i : e.getValue()) {
                (live.test(i.cid()) ? keep : drop).add(i);
            }
            if (drop.isEmpty()) {
                continue;
            }
            List<Indexed> moved = keep.isEmpty() ? List.of() : copy(keep);
            if (!moved.isEmpty()) {
                repacked.add(seal(moved.get(0).loc().archive(), moved.size()));
            }
            try (WriteBatch batch = new WriteBatch()) {
                for (Indexed i : moved) {
                    batch.put(
                            i.cid().toBytes(),
                            location(
                                    numberOf(i.loc().archive()),
                                    i.loc().offset(),
                                    i.loc().length()));
                }
                for (Indexed i : drop) {
                    batch.delete(i.cid().toBytes());
                }
                index.write(syncWrites, batch);
            } catch (RocksDBException ex) {
                throw new IOException("cold index write failed: " + ex.getMessage(), ex);
            }
            deleteArchive(e.getKey());
            blocks += drop.size();
            bytes += drop.stream().mapToLong(i -> i.loc().length()).sum();
            if (keep.isEmpty()) {
                deleted.add(e.getKey());
            }
        }
        return new Collected(blocks, bytes, deleted, repacked);
    }

    /** Copies blocks into a new synced archive; returns their new locations. */
    private List<Indexed> copy(List<Indexed> blocks) throws IOException {
        String name = archiveName(nextNumber++);
        List<Indexed> out = new ArrayList<>();
        try (ArchiveStorage.Output o = storage.create(name)) {
            CarWriter w = new CarWriter(new OutputAdapter(o), List.of());
            for (Indexed i : blocks) {
                Block b = read(i.cid(), i.loc());
                long off = w.write(b);
                out.add(new Indexed(i.cid(), new Location(name, off, i.loc().length())));
            }
            o.sync();
        }
        return out;
    }

    private void deleteArchive(String name) throws IOException {
        storage.delete(name);
        storage.delete(manifestName(name));
    }

    /** Manifests of all sealed archives, oldest first. */
    public List<ArchiveManifest> manifests() throws IOException {
        List<ArchiveManifest> out = new ArrayList<>();
        for (String n : storage.list()) {
            if (n.endsWith(MANIFEST_SUFFIX)) {
                try (InputStream in = storage.openSequential(n)) {
                    out.add(ArchiveManifest.fromJson(in.readAllBytes()));
                }
            }
        }
        return out;
    }

    public ArchiveStorage storage() {
        return storage;
    }

    /** Drops everything without sealing, as a crash would (for crash-recovery tests). */
    synchronized void closeWithoutSealing() throws IOException {
        if (active != null) {
            active.close();
            active = null;
        }
        index.close();
        syncWrites.close();
    }

    @Override
    public synchronized void close() throws IOException {
        sealActive();
        index.close();
        syncWrites.close();
    }

    /** Lets {@link CarWriter} write through an archive output. */
    private static final class OutputAdapter extends java.io.OutputStream {
        private final ArchiveStorage.Output out;

        OutputAdapter(ArchiveStorage.Output out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}
