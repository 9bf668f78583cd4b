package io.ipdm.lakes.cli;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.car.CarWriter;
import io.ipdm.lakes.gateway.Gateway;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.policy.AccessTracker;
import io.ipdm.lakes.policy.LifecyclePolicy;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.lakes.store.ArchiveManifest;
import io.ipdm.lakes.store.GarbageCollector;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ipdm lake put|get|stat|import-car|export-car|gc|serve} do, as plain Java for the CLI
 * to call. One instance holds the lake open; close it when the command ends. User mistakes (missing
 * files, bad CIDs, unknown blocks) come back as {@link LakesException} with a message to print.
 */
public final class LakeCommands implements AutoCloseable {
    /** Chunk size for {@link #put}: 1 MiB, the largest block size IPFS peers accept everywhere. */
    public static final int CHUNK = 1 << 20;

    /** {@code lake stat}: where a block is and what it links to. */
    public record Stat(Cid cid, String tier, int size, int links) {}

    /** {@code lake import-car}. */
    public record Imported(List<Cid> roots, long blocks) {}

    /**
     * {@code lake gc}: what the lifecycle policy demoted, the sealed archives after it, and what
     * garbage collection freed.
     */
    public record GcReport(
            int demotedByAge,
            int demotedBySize,
            List<ArchiveManifest> archives,
            GarbageCollector.Result freed) {}

    private final TieredStore store;
    private final StorageConfig config;
    private final AccessTracker access;

    private LakeCommands(TieredStore store, StorageConfig config) {
        this.store = store;
        this.config = config;
        this.access = new AccessTracker(store.clock(), config.popularityWindow());
    }

    /** Opens (creating if needed) the lake in {@code dir}. */
    public static LakeCommands open(Path dir, StorageConfig config) throws IOException {
        return new LakeCommands(
                TieredStore.open(
                        dir,
                        config.hotBytes(),
                        new io.ipdm.lakes.store.LocalArchiveStorage(dir.resolve("cold")),
                        config.coldArchiveBytes(),
                        Clock.systemUTC()),
                config);
    }

    public TieredStore store() {
        return store;
    }

    /**
     * Stores a file (chunked into raw blocks under a UnixFS root when large) and pins its root;
     * returns the root CID.
     */
    public Cid put(Path file) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] c;
            while ((c = in.readNBytes(CHUNK)).length > 0 || chunks.isEmpty()) {
                chunks.add(c);
                if (c.length < CHUNK) {
                    break;
                }
            }
        } catch (NoSuchFileException e) {
            throw new LakesException("no such file: " + file);
        }
        List<Block> blocks = UnixFsFile.build(chunks);
        store.putAll(blocks);
        Cid root = blocks.get(blocks.size() - 1).cid();
        store.pin(root);
        return root;
    }

    /** Writes the content under {@code cid} (a file's bytes, or the block as is); returns bytes. */
    public long get(String cid, OutputStream out) throws IOException {
        return UnixFsFile.write(store, Cid.parse(cid), out);
    }

    public Stat stat(String cid) {
        Cid c = Cid.parse(cid);
        TieredStore.Stat s = store.stat(c);
        if (s == null) {
            throw new LakesException(
                    "block " + c + " not found" + (store.isGone(c) ? " (deleted)" : ""));
        }
        return new Stat(
                c,
                s.tier().name().toLowerCase(java.util.Locale.ROOT),
                s.size(),
                Links.of(store.get(c)).size());
    }

    /**
     * Imports every block of a CAR v1/v2 file, each verified against its CID, and pins the CAR's
     * roots (blocks no root reaches are collected by the next {@link #gc}).
     */
    public Imported importCar(Path car) throws IOException {
        try (InputStream in = Files.newInputStream(car);
                CarReader r = CarReader.open(in)) {
            long n = 0;
            List<Block> batch = new ArrayList<>();
            for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                batch.add(s.block());
                if (batch.size() == 256) {
                    store.putAll(batch);
                    n += batch.size();
                    batch.clear();
                }
            }
            store.putAll(batch);
            r.header().roots().forEach(store::pin);
            return new Imported(r.header().roots(), n + batch.size());
        } catch (NoSuchFileException e) {
            throw new LakesException("no such file: " + car);
        }
    }

    /** Writes the DAG under {@code root} as a CARv1 (depth-first); returns the block count. */
    public long exportCar(String root, OutputStream out) throws IOException {
        Cid c = Cid.parse(root);
        CarWriter w = new CarWriter(out, List.of(c));
        long[] n = {0};
        Links.walk(
                store,
                c,
                b -> {
                    try {
                        w.write(b);
                        n[0]++;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        out.flush();
        return n[0];
    }

    /**
     * Deletes every block no pinned root reaches (hot, warm, and cold by repacking archives), then
     * runs the lifecycle policy and seals the cold archive being filled. Run it while nothing else
     * writes to the lake.
     */
    public GcReport gc() throws IOException {
        GarbageCollector.Result freed = store.collectGarbage();
        LifecyclePolicy.Report r = new LifecyclePolicy(config, access).run(store);
        store.cold().sealActive();
        return new GcReport(r.demotedByAge(), r.demotedBySize(), store.cold().manifests(), freed);
    }

    /** Pins a root already in the lake, so {@link #gc} keeps its DAG. */
    public void pin(String cid) {
        Cid c = Cid.parse(cid);
        if (!store.has(c)) {
            throw new LakesException("cannot pin " + c + ": the block is not in the lake");
        }
        store.pin(c);
    }

    /** Unpins a root; the next {@link #gc} deletes what nothing else pinned reaches. */
    public void unpin(String cid) {
        store.unpin(Cid.parse(cid));
    }

    /**
     * Starts the trustless gateway; it runs until closed. Use host 127.0.0.1 unless exposing it.
     */
    public Gateway serve(String host, int port) throws IOException {
        return Gateway.start(store, new InetSocketAddress(host, port));
    }

    /** Tier counters, one line per tier. */
    public String metrics() {
        return store.metrics().toString();
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
