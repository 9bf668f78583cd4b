package io.ipdm.connectors.lakes;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.node.IpfsNetwork;
import io.ipdm.lakes.node.NetworkReads;
import io.ipdm.lakes.policy.AccessTracker;
import io.ipdm.lakes.policy.Prefetcher;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * A processing node's read path into Lava Lakes for a source: the lake directory's tiers through
 * the {@link Prefetcher} (which fetches ahead on the DAG being walked), and, when peers are given,
 * the network behind it ({@link NetworkReads}: DHT providers and those peers over Bitswap, with the
 * prefetcher off by itself while network reads are fast). Blocks fetched from the network stay in
 * the lake. Close it when done.
 */
public final class LakeBlocks implements BlockSource, AutoCloseable {
    private final String dir;
    private final BlockSource reads;
    private final AutoCloseable owned;

    private LakeBlocks(String dir, BlockSource reads, AutoCloseable owned) {
        this.dir = dir;
        this.reads = reads;
        this.owned = owned;
    }

    /** Opens the lake at {@code dir}; {@code peers} (multiaddrs with /p2p/) may be empty. */
    public static LakeBlocks open(String dir, List<String> peers, Duration readTimeout) {
        TieredStore store;
        try {
            store = LakeRegistry.acquire(dir, 64L << 20, 1L << 30);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the lake at " + dir, e);
        }
        StorageConfig config = StorageConfig.defaults();
        if (peers.isEmpty()) {
            Prefetcher p =
                    new Prefetcher(
                            store,
                            null,
                            new AccessTracker(store.clock(), Duration.ofHours(1)),
                            config);
            return new LakeBlocks(dir, p, p);
        }
        NetworkReads net =
                NetworkReads.client(
                        store,
                        config,
                        peers.stream().map(Multiaddr::parse).toList(),
                        readTimeout,
                        IpfsNetwork::install);
        return new LakeBlocks(dir, net, net);
    }

    @Override
    public Block get(Cid cid) {
        return reads.get(cid);
    }

    @Override
    public boolean isGone(Cid cid) {
        return reads.isGone(cid);
    }

    @Override
    public void close() {
        try {
            owned.close();
            LakeRegistry.release(dir);
        } catch (Exception e) {
            throw new IllegalStateException("closing the lake read path of " + dir + " failed", e);
        }
    }
}
