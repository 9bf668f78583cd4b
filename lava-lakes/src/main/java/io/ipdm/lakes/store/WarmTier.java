package io.ipdm.lakes.store;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Warm tier: blocks in a local RocksDB, LZ4-compressed (ZSTD at the bottom level), keyed by CID
 * bytes. Each value is {@code storedAtMillis:u64 data}, so lifecycle policies can age blocks out.
 * Writes are synced before they return. Reads verify the block against its CID. Thread-safe.
 */
public final class WarmTier implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final Options options;
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);
    private final WriteOptions asyncWrites = new WriteOptions();

    /** A stored block's age, for lifecycle decisions. */
    public record Entry(Cid cid, long storedAtMillis, int size) {}

    public WarmTier(Path dir) throws IOException {
        Files.createDirectories(dir);
        options =
                new Options()
                        .setCreateIfMissing(true)
                        .setCompressionType(CompressionType.LZ4_COMPRESSION)
                        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
        try {
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            options.close();
            String m = String.valueOf(e.getMessage());
            if (m.contains("/LOCK") || m.contains("lock hold")) {
                // RocksDB's lock: another process (or this one) has the lake open
                throw new IOException(
                        "the lake at "
                                + dir.getParent()
                                + " is in use: another process has it open (a running `ipdm node`"
                                + " or `ipdm lake serve`; its node.json names it); stop it, or"
                                + " read through it with --network ("
                                + m
                                + ")",
                        e);
            }
            throw new IOException("cannot open warm tier at " + dir + ": " + m, e);
        }
    }

    public void put(Block b, long nowMillis) {
        putAll(List.of(b), nowMillis);
    }

    public void putAll(List<Block> blocks, long nowMillis) {
        putAll(blocks, nowMillis, true);
    }

    /**
     * {@code sync} false is for copies that are durable elsewhere (promotions from cold): a crash
     * may lose them, which costs a re-read, not data.
     */
    public void putAll(List<Block> blocks, long nowMillis, boolean sync) {
        try (WriteBatch batch = new WriteBatch()) {
            for (Block b : blocks) {
                b.verified();
                byte[] v =
                        ByteBuffer.allocate(8 + b.data().length)
                                .putLong(nowMillis)
                                .put(b.data())
                                .array();
                batch.put(b.cid().toBytes(), v);
            }
            db.write(sync ? syncWrites : asyncWrites, batch);
        } catch (RocksDBException e) {
            throw new LakesException("warm tier write failed: " + e.getMessage(), e);
        }
    }

    public Block get(Cid cid) {
        try {
            byte[] v = db.get(cid.toBytes());
            if (v == null) {
                return null;
            }
            byte[] data = java.util.Arrays.copyOfRange(v, 8, v.length);
            if (!cid.verifies(data)) {
                throw new LakesException("warm tier holds a corrupt copy of " + cid);
            }
            return new Block(cid, data);
        } catch (RocksDBException e) {
            throw new LakesException("warm tier read failed: " + e.getMessage(), e);
        }
    }

    public boolean has(Cid cid) {
        try {
            return db.get(cid.toBytes()) != null;
        } catch (RocksDBException e) {
            throw new LakesException("warm tier read failed: " + e.getMessage(), e);
        }
    }

    public void delete(List<Cid> cids) {
        try (WriteBatch batch = new WriteBatch()) {
            for (Cid c : cids) {
                batch.delete(c.toBytes());
            }
            db.write(syncWrites, batch);
        } catch (RocksDBException e) {
            throw new LakesException("warm tier delete failed: " + e.getMessage(), e);
        }
    }

    /** Up to {@code limit} entries that satisfy {@code filter}, in key order. */
    public List<Entry> scan(Predicate<Entry> filter, int limit) {
        List<Entry> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(new byte[] {1}); it.isValid() && out.size() < limit; it.next()) {
                byte[] v = it.value();
                Entry e =
                        new Entry(
                                Cid.fromBytes(it.key()),
                                ByteBuffer.wrap(v).getLong(),
                                v.length - 8);
                if (filter.test(e)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static byte[] tombstone(Cid cid) {
        byte[] c = cid.toBytes();
        byte[] k = new byte[c.length + 1];
        System.arraycopy(c, 0, k, 1, c.length);
        return k; // CID bytes never start with 0x00, so tombstones have their own key space
    }

    private static byte[] pinKey(Cid cid) {
        byte[] c = cid.toBytes();
        byte[] k = new byte[c.length + 2];
        System.arraycopy(c, 0, k, 2, c.length);
        return k; // 0x00 0x00: no tombstone key starts so (CIDs start with 0x01 or 0x12)
    }

    /** Pins a root: {@code gc} keeps it and everything it links to. */
    public void pin(Cid cid) {
        try {
            db.put(syncWrites, pinKey(cid), new byte[0]);
        } catch (RocksDBException e) {
            throw new LakesException("warm tier write failed: " + e.getMessage(), e);
        }
    }

    public void unpin(Cid cid) {
        try {
            db.delete(syncWrites, pinKey(cid));
        } catch (RocksDBException e) {
            throw new LakesException("warm tier write failed: " + e.getMessage(), e);
        }
    }

    /** Every pinned root. */
    public List<Cid> pins() {
        List<Cid> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(new byte[] {0, 0}); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length < 2 || k[0] != 0 || k[1] != 0) {
                    break;
                }
                out.add(Cid.fromBytes(java.util.Arrays.copyOfRange(k, 2, k.length)));
            }
        }
        return out;
    }

    /** Records that a block was deleted on purpose. */
    public void markGone(Cid cid) {
        try {
            db.put(syncWrites, tombstone(cid), new byte[0]);
        } catch (RocksDBException e) {
            throw new LakesException("warm tier write failed: " + e.getMessage(), e);
        }
    }

    public boolean isGone(Cid cid) {
        try {
            return db.get(tombstone(cid)) != null;
        } catch (RocksDBException e) {
            throw new LakesException("warm tier read failed: " + e.getMessage(), e);
        }
    }

    public long approximateBytes() {
        try {
            return db.getLongProperty("rocksdb.estimate-live-data-size")
                    + db.getLongProperty("rocksdb.cur-size-all-mem-tables");
        } catch (RocksDBException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        db.close();
        syncWrites.close();
        asyncWrites.close();
        options.close();
    }
}
