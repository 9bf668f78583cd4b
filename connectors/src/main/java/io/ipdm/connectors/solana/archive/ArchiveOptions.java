package io.ipdm.connectors.solana.archive;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the {@code old-faithful} source reads: which archives (files, HTTP(S) URLs, or a root CID in
 * a lake), how they are split, retried and read ahead.
 *
 * @param locations archive files or URLs (no slot in two of them; of one chain, their slot ranges
 *     must not overlap; several chains are read by block time)
 * @param cid a root CID (Epoch or Subset node) to read from {@code lake} instead of locations
 * @param lakeDir the Lava Lakes directory the CID is read from
 * @param peers multiaddrs of peers to read blocks the lake lacks from (Bitswap); empty: lake only
 * @param indexDir where slot indexes of remote archives are cached (local archives keep theirs next
 *     to the file, {@code <archive>.slots})
 * @param splitBlocks blocks per split (the unit of parallelism and of hand-out)
 * @param prefetch auto (read ahead on remote archives and lakes while reads are slow), on, off
 * @param chunkBytes bytes per read (one HTTP range request)
 * @param faithfulIndexes Old Faithful's own {@code slot-to-cid} and {@code cid-to-offset-and-size}
 *     index files or URLs of the (one) archive; empty: a slot index is built by a scan and cached
 */
public record ArchiveOptions(
        List<String> locations,
        String cid,
        String lakeDir,
        List<String> peers,
        String indexDir,
        int splitBlocks,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration requestTimeout,
        Prefetch prefetch,
        Duration prefetchFastRead,
        int chunkBytes,
        int maxSectionBytes,
        List<String> faithfulIndexes)
        implements Serializable {

    /** Read-ahead mode. */
    public enum Prefetch {
        AUTO,
        ON,
        OFF
    }

    public ArchiveOptions {
        locations = List.copyOf(locations);
        peers = List.copyOf(peers);
        faithfulIndexes = List.copyOf(faithfulIndexes);
        if (!faithfulIndexes.isEmpty() && (cid != null || locations.size() != 1)) {
            throw new IllegalArgumentException(
                    "Old Faithful's indexes describe one archive: give one archive file or URL"
                            + " with them");
        }
        if (locations.isEmpty() == (cid == null)) {
            throw new IllegalArgumentException(
                    "give either archive paths/URLs or a root CID (with a lake), not "
                            + (cid == null ? "neither" : "both"));
        }
        if (cid != null && lakeDir == null) {
            throw new IllegalArgumentException(
                    "a root CID is read from a lake: give its directory");
        }
        check(splitBlocks >= 1, "split_blocks must be >= 1");
        check(maxAttempts >= 1, "max_attempts must be >= 1");
        check(chunkBytes >= 4096, "chunk size must be >= 4096 bytes");
        check(maxSectionBytes >= 1024, "max section size must be >= 1024 bytes");
        Objects.requireNonNull(prefetch, "prefetch");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Defaults for everything but what to read. */
    public static ArchiveOptions of(List<String> locations) {
        return new ArchiveOptions(
                locations,
                null,
                null,
                List.of(),
                null,
                2000,
                5,
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Prefetch.AUTO,
                Duration.ofMillis(2),
                4 << 20,
                32 << 20,
                List.of());
    }

    public ArchiveOptions withLake(String rootCid, String dir, List<String> peerAddrs) {
        Copy c = new Copy(this);
        c.locations = List.of();
        c.cid = rootCid;
        c.lakeDir = dir;
        c.peers = peerAddrs;
        return c.build();
    }

    /** Reads splits from Old Faithful's own indexes of the archive instead of a scan. */
    public ArchiveOptions withFaithfulIndexes(List<String> indexes) {
        Copy c = new Copy(this);
        c.faithfulIndexes = indexes;
        return c.build();
    }

    public ArchiveOptions with(
            String indexDir,
            int splitBlocks,
            int maxAttempts,
            Duration initialBackoff,
            Duration requestTimeout,
            Prefetch prefetch,
            int chunkBytes) {
        Copy c = new Copy(this);
        c.indexDir = indexDir;
        c.splitBlocks = splitBlocks;
        c.maxAttempts = maxAttempts;
        c.initialBackoff = initialBackoff;
        c.requestTimeout = requestTimeout;
        c.prefetch = prefetch;
        c.chunkBytes = chunkBytes;
        return c.build();
    }

    /**
     * The one place that copies every component: each {@code with...} changes some fields of a copy
     * and builds it again (through the canonical constructor, so its checks run).
     */
    private static final class Copy {
        List<String> locations;
        String cid;
        String lakeDir;
        List<String> peers;
        String indexDir;
        int splitBlocks;
        int maxAttempts;
        Duration initialBackoff;
        Duration maxBackoff;
        Duration requestTimeout;
        Prefetch prefetch;
        Duration prefetchFastRead;
        int chunkBytes;
        int maxSectionBytes;
        List<String> faithfulIndexes;

        Copy(ArchiveOptions o) {
            locations = o.locations;
            cid = o.cid;
            lakeDir = o.lakeDir;
            peers = o.peers;
            indexDir = o.indexDir;
            splitBlocks = o.splitBlocks;
            maxAttempts = o.maxAttempts;
            initialBackoff = o.initialBackoff;
            maxBackoff = o.maxBackoff;
            requestTimeout = o.requestTimeout;
            prefetch = o.prefetch;
            prefetchFastRead = o.prefetchFastRead;
            chunkBytes = o.chunkBytes;
            maxSectionBytes = o.maxSectionBytes;
            faithfulIndexes = o.faithfulIndexes;
        }

        ArchiveOptions build() {
            return new ArchiveOptions(
                    locations,
                    cid,
                    lakeDir,
                    peers,
                    indexDir,
                    splitBlocks,
                    maxAttempts,
                    initialBackoff,
                    maxBackoff,
                    requestTimeout,
                    prefetch,
                    prefetchFastRead,
                    chunkBytes,
                    maxSectionBytes,
                    faithfulIndexes);
        }
    }
}
