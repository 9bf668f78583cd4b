package io.ipdm.lakes.cli;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarException;
import io.ipdm.lakes.car.CarExport;
import io.ipdm.lakes.car.CarReader;
import io.ipdm.lakes.gateway.Gateway;
import io.ipdm.lakes.gateway.GatewayLimits;
import io.ipdm.lakes.ipld.CodecException;
import io.ipdm.lakes.ipld.InlineBlocks;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.ipld.UnixFsDirectory;
import io.ipdm.lakes.ipld.UnixFsFile;
import io.ipdm.lakes.ipld.UnixFsPath;
import io.ipdm.lakes.network.BlockNotFoundException;
import io.ipdm.lakes.network.DagPrefetch;
import io.ipdm.lakes.policy.AccessTracker;
import io.ipdm.lakes.policy.LifecyclePolicy;
import io.ipdm.lakes.policy.Prefetcher;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.lakes.store.ArchiveManifest;
import io.ipdm.lakes.store.GarbageCollector;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

    /**
     * {@code lake import-car}: the header's roots the lake now holds (pinned), those it does not
     * hold (not pinned), sections read, and the CIDs that imported blocks link to but that are in
     * neither the CAR nor the lake (the DAG is incomplete when there are any).
     */
    public record Imported(
            List<Cid> roots, long blocks, List<Cid> missingRoots, List<Cid> missingLinks) {
        public Imported {
            roots = List.copyOf(roots);
            missingRoots = List.copyOf(missingRoots);
            missingLinks = List.copyOf(missingLinks);
        }

        /** Whether the header named no roots at all. */
        public boolean rootless() {
            return roots.isEmpty() && missingRoots.isEmpty();
        }
    }

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
    private final Prefetcher prefetcher;
    // what get and export-car read: the lake with cold prefetch, or a network read path
    private volatile BlockSource reads;

    private LakeCommands(TieredStore store, StorageConfig config) {
        this.store = store;
        this.config = config;
        this.access = new AccessTracker(store.clock(), config.warmIdle());
        this.prefetcher = new Prefetcher(store, null, access, config);
        this.reads = prefetcher;
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

    public StorageConfig config() {
        return config;
    }

    /**
     * Makes {@code get} and {@code export-car} read through {@code source} (e.g. the network read
     * path of {@code --network}) instead of the lake alone; null goes back to the lake.
     */
    public void readThrough(BlockSource source) {
        this.reads = source == null ? prefetcher : source;
    }

    /**
     * Stores a file (chunked into raw blocks under a UnixFS root when large) or a directory tree
     * (UnixFS directories over such files) and pins its root; returns the root CID.
     */
    public Cid put(Path file) throws IOException {
        List<Block> blocks;
        try {
            blocks =
                    Files.isDirectory(file)
                            ? UnixFsDirectory.importTree(file, CHUNK)
                            : UnixFsFile.build(UnixFsFile.chunks(file, CHUNK));
        } catch (NoSuchFileException e) {
            throw new LakesException("no such file: " + e.getFile());
        }
        store.putAll(blocks);
        Cid root = blocks.get(blocks.size() - 1).cid();
        store.pin(root);
        return root;
    }

    /**
     * Writes the content under {@code cid} (a file's bytes, or the block as is); returns bytes. A
     * block missing part way fails naming it and how many bytes were already written. A block that
     * is in neither the lake nor (with a network attached) any peer asked is a {@link
     * BlockNotFoundException}: the content is not to be had now, whatever was asked for. A file
     * read through the network has its chunks fetched together first ({@link DagPrefetch}).
     */
    public long get(String cid, OutputStream out) throws IOException {
        BlockSource reads = present(this.reads);
        Cid c = target(reads, cid);
        if (!InlineBlocks.isInline(c) && UnixFsFile.isChunkedFile(c, reads.get(c))) {
            // a file's chunks over the network: fetched together, as export-car does (only a
            // file's: a directory's DAG is not walked by get)
            reads = present(DagPrefetch.walking(this.reads, c));
        }
        long[] written = {0};
        OutputStream counting =
                new java.io.FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        written[0] += len;
                    }
                };
        try {
            return UnixFsFile.write(reads, c, counting);
        } catch (LakesException e) {
            out.flush();
            if (written[0] == 0) {
                throw e;
            }
            String message =
                    "get of "
                            + c
                            + " stopped after writing "
                            + written[0]
                            + " bytes, the output is incomplete: "
                            + e.getMessage();
            throw e instanceof BlockNotFoundException
                    ? new BlockNotFoundException(message)
                    : new LakesException(message);
        }
    }

    /** {@code source}, with an absent block a {@link BlockNotFoundException} rather than null. */
    private static BlockSource present(BlockSource source) {
        return new BlockSource() {
            @Override
            public Block get(Cid cid) {
                Block b = source.get(cid);
                if (b == null) {
                    throw new BlockNotFoundException(
                            "block "
                                    + cid
                                    + " not found"
                                    + (source.isGone(cid) ? " (deleted)" : ""));
                }
                return b;
            }

            @Override
            public boolean isGone(Cid cid) {
                return source.isGone(cid);
            }
        };
    }

    /**
     * The CID {@code arg} names: a CID, or {@code CID/path} or {@code /ipfs/CID/path} resolved
     * through UnixFS directories (and dag-cbor/dag-json links) as the gateway resolves paths.
     */
    private static Cid target(BlockSource reads, String arg) {
        String text = arg.startsWith("/ipfs/") ? arg.substring("/ipfs/".length()) : arg;
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Cid.parse(text);
        }
        Cid root = Cid.parse(text.substring(0, slash));
        List<String> path = new ArrayList<>();
        for (String seg : text.substring(slash + 1).split("/")) {
            if (!seg.isEmpty()) {
                path.add(seg);
            }
        }
        UnixFsPath.Resolved r;
        try {
            r = UnixFsPath.resolve(reads, root, path);
        } catch (UnixFsPath.PathException e) {
            throw new LakesException(e.getMessage());
        }
        if (r.inside() != null) {
            throw new LakesException(
                    arg
                            + " ends inside block "
                            + r.target()
                            + "; lake get writes whole blocks and files (get "
                            + r.target()
                            + ", or ask the gateway for the path's CAR)");
        }
        return r.target();
    }

    public Stat stat(String cid) {
        Cid c = Cid.parse(cid);
        Block inline = InlineBlocks.of(c);
        if (inline != null) {
            return new Stat(c, "inline", inline.data().length, linkCount(inline, "inline"));
        }
        TieredStore.Stat s = store.stat(c);
        if (s == null) {
            throw new BlockNotFoundException(
                    "block " + c + " not found" + (store.isGone(c) ? " (deleted)" : ""));
        }
        String tier = s.tier().name().toLowerCase(java.util.Locale.ROOT);
        return new Stat(c, tier, s.size(), linkCount(store.get(c), tier));
    }

    private static int linkCount(Block b, String tier) {
        try {
            return Links.of(b).size();
        } catch (CodecException e) {
            throw new LakesException(
                    "block "
                            + b.cid()
                            + " ("
                            + b.data().length
                            + " bytes, "
                            + tier
                            + ") does not decode, so its links are unknown: "
                            + e.getMessage());
        }
    }

    /**
     * Imports every block of a CAR v1/v2 file, each verified against its CID, and pins the header's
     * roots that the lake then holds. Either the whole CAR is imported or none of it: when a
     * section is truncated, malformed or does not match its CID, the blocks this import added are
     * removed again (blocks the lake held before stay) and the error says where the CAR broke.
     * Blocks no pinned root reaches are collected by the next {@link #gc}.
     */
    public Imported importCar(Path car) throws IOException {
        return importCar(car, CarReader.Options.DEFAULT);
    }

    /**
     * {@link #importCar(Path)} with reader options, e.g. {@link
     * CarReader.Options#withZeroLengthSectionAsEof()} for CARs padded with zero-length sections.
     */
    public Imported importCar(Path car, CarReader.Options options) throws IOException {
        Set<Cid> seen = new HashSet<>();
        Set<Cid> linked = new LinkedHashSet<>();
        List<Cid> added = new ArrayList<>();
        long sections = 0;
        List<Cid> declared;
        try (InputStream in = Files.newInputStream(car);
                CarReader r = CarReader.open(in, options)) {
            declared = r.header().roots();
            List<Block> batch = new ArrayList<>();
            try {
                for (CarReader.Section s = r.next(); s != null; s = r.next()) {
                    Block b = s.block();
                    try {
                        linked.addAll(Links.of(b));
                    } catch (CodecException e) {
                        throw new LakesException(
                                "block "
                                        + b.cid()
                                        + " in section "
                                        + sections
                                        + " does not decode: "
                                        + e.getMessage());
                    }
                    sections++;
                    if (seen.add(b.cid()) && !store.has(b.cid())) {
                        batch.add(b);
                    }
                    if (batch.size() == 256) {
                        store.putAll(batch);
                        batch.forEach(x -> added.add(x.cid()));
                        batch.clear();
                    }
                }
                store.putAll(batch);
                batch.forEach(x -> added.add(x.cid()));
            } catch (LakesException | MultiformatException | IOException e) {
                store.discard(added);
                throw new LakesException(
                        "import of "
                                + car
                                + " failed after "
                                + sections
                                + " good sections: "
                                + e.getMessage()
                                + "; rolled back: the "
                                + added.size()
                                + " blocks it had added were removed, nothing was pinned");
            }
        } catch (NoSuchFileException e) {
            throw new LakesException("no such file: " + car);
        } catch (CarException e) {
            throw new LakesException("cannot import " + car + ": " + e.getMessage());
        }
        List<Cid> held = new ArrayList<>();
        List<Cid> missingRoots = new ArrayList<>();
        for (Cid root : declared) {
            if (store.has(root)) {
                store.pin(root);
                held.add(root);
            } else {
                missingRoots.add(root);
            }
        }
        List<Cid> missingLinks = new ArrayList<>();
        for (Cid c : linked) {
            if (!seen.contains(c) && !store.has(c)) {
                missingLinks.add(c);
            }
        }
        return new Imported(held, sections, missingRoots, missingLinks);
    }

    /**
     * Writes the DAG under {@code root} as a CARv1 (depth-first, each block once); returns the
     * block count. The DAG is walked first (every block read, checked against its CID and its links
     * parsed) and only then written, so a missing or undecodable block fails the export before a
     * byte reaches {@code out}. A read path that reaches the network brings the whole DAG in at
     * once when the walk first meets a block the lake lacks ({@link DagPrefetch#walking}), as the
     * gateway does; what that leaves out, the walk reads one block at a time.
     */
    public long exportCar(String root, OutputStream out) throws IOException {
        Cid c = Cid.parse(root);
        return CarExport.write(DagPrefetch.walking(reads, c), c, out);
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

    /**
     * Pins a root already in the lake, so {@link #gc} keeps its DAG. A root not in the lake is a
     * {@link BlockNotFoundException}, as for {@link #get} and {@link #stat}.
     */
    public void pin(String cid) {
        Cid c = Cid.parse(cid);
        if (!store.has(c)) {
            throw new BlockNotFoundException(
                    "cannot pin "
                            + c
                            + ": the block is not in the lake; put it there first (lake"
                            + " import-car, or lake get "
                            + c
                            + " --network MULTIADDR/p2p/ID, which keeps what it reads)");
        }
        store.pin(c);
    }

    /**
     * Unpins a root; the next {@link #gc} deletes what nothing else pinned reaches.
     *
     * @return false when the root was not pinned (nothing changed)
     */
    public boolean unpin(String cid) {
        Cid c = Cid.parse(cid);
        boolean pinned = store.pins().contains(c);
        store.unpin(c);
        return pinned;
    }

    /**
     * Starts the trustless gateway; it runs until closed. Use host 127.0.0.1 unless exposing it.
     */
    public Gateway serve(String host, int port) throws IOException {
        return serve(host, port, GatewayLimits.DEFAULT);
    }

    /** Starts the trustless gateway with the given per-client limits. */
    public Gateway serve(String host, int port, GatewayLimits limits) throws IOException {
        return Gateway.start(store, new InetSocketAddress(host, port), limits);
    }

    /** Tier counters, one line per tier. */
    public String metrics() {
        return store.metrics().toString();
    }

    @Override
    public void close() throws IOException {
        prefetcher.close();
        store.close();
    }
}
