package io.ipdm.lakes.node;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.bitswap.BitswapSession;
import io.ipdm.lakes.ipld.InlineBlocks;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.network.BlockNotFoundException;
import io.ipdm.lakes.network.DagPrefetch;
import io.ipdm.lakes.network.NetworkBlocks;
import io.ipdm.lakes.network.Provider;
import io.ipdm.lakes.policy.AccessTracker;
import io.ipdm.lakes.policy.Prefetcher;
import io.ipdm.lakes.policy.StorageConfig;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.node.MeshNodeConfig;
import io.ipdm.multiformats.Cid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read path of a lake that reaches the network: the lake's tiers, then the peers that served
 * the previous block, then the DHT's providers and the given peers over Bitswap, with the {@link
 * Prefetcher} fetching ahead on the DAG being walked; a whole DAG about to be walked (a gateway's
 * CAR) is fetched first by {@link #prefetchDag} with batched want-lists. {@link LakeNode} builds
 * one over its own mesh node; {@link #client} builds a short-lived one for {@code ipdm lake
 * get|export-car --network}.
 */
public final class NetworkReads implements BlockSource, DagPrefetch, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkReads.class);
    private final NetworkStack stack;
    private final Duration readTimeout;
    private final NetworkBlocks network;
    private final Prefetcher reads;
    private final AutoCloseable owned;
    private final TieredStore store;

    NetworkReads(
            TieredStore store,
            StorageConfig config,
            NetworkStack stack,
            List<Multiaddr> peers,
            Duration readTimeout,
            AutoCloseable owned) {
        this.stack = stack;
        this.readTimeout = readTimeout;
        this.network =
                new NetworkBlocks(
                        stack.routing(),
                        stack.exchange(),
                        peers.stream().map(Provider::of).toList(),
                        readTimeout);
        this.reads =
                new Prefetcher(
                        store,
                        null,
                        new AccessTracker(store.clock(), Duration.ofHours(1)),
                        config,
                        network,
                        System::nanoTime,
                        null);
        this.owned = owned;
        this.store = store;
    }

    /**
     * A mesh client (fresh identity, no listener, DHT in client mode) that dials {@code peers},
     * asks them and the DHT they know for blocks {@code store} lacks, and keeps what it fetched in
     * {@code store}.
     */
    public static NetworkReads client(
            TieredStore store,
            StorageConfig config,
            List<Multiaddr> peers,
            Duration readTimeout,
            NetworkStack.Factory factory) {
        MeshNode mesh = MeshNode.start(MeshNodeConfig.of(List.of(), List.of(), List.of()));
        NetworkStack stack;
        try {
            stack = factory.install(mesh, store, false, peers);
        } catch (RuntimeException e) {
            mesh.close();
            throw e;
        }
        return new NetworkReads(
                store,
                config,
                stack,
                peers,
                readTimeout,
                () -> {
                    stack.close();
                    mesh.close();
                });
    }

    /**
     * The block from the lake or the network; throws {@link BlockNotFoundException} saying how many
     * peers were asked when nobody had it.
     */
    @Override
    public Block get(Cid cid) {
        return reads.get(cid);
    }

    @Override
    public boolean isGone(Cid cid) {
        return reads.isGone(cid);
    }

    /** In the lake already: read without asking the network. */
    @Override
    public boolean holds(Cid cid) {
        return store.has(cid);
    }

    /**
     * The DAG under {@code root} into the lake before it is walked: {@link NetworkStack#fetchDag}
     * (one Bitswap session, every arrived block's links wanted together, up to its parallel wants
     * in flight) from the peers that answered the last read (the root's, when the caller has just
     * read it: their provider lookup is not made again), or the given peers, or every connected
     * peer; blocks that stall are looked up. Blocks the lake holds are not fetched. Waits at most
     * the read timeout; what is left then is read block by block by the walk.
     */
    @Override
    public void prefetchDag(Cid root) {
        if (InlineBlocks.isInline(root) || !Links.canLink(root)) {
            return; // a raw or inline block: nothing under it
        }
        List<PeerId> peers = network.servedBy().stream().map(p -> p.peer()).distinct().toList();
        List<Block> pending = new ArrayList<>();
        long[] pendingBytes = {0};
        try {
            BitswapSession.DagResult r =
                    stack.fetchDag(
                            root,
                            peers,
                            store,
                            b -> {
                                pending.add(b);
                                pendingBytes[0] += b.data().length;
                                if (pending.size() >= STORE_BATCH_BLOCKS
                                        || pendingBytes[0] >= STORE_BATCH_BYTES) {
                                    keep(pending);
                                    pendingBytes[0] = 0;
                                }
                            },
                            readTimeout);
            LOG.debug(
                    "prefetched the DAG under {}: {} blocks fetched, {} held already",
                    root,
                    r.fetched(),
                    r.local());
        } catch (LakesException e) {
            LOG.info(
                    "prefetching the DAG under {} stopped ({}); the rest is read block by block",
                    root,
                    e.getMessage());
        } finally {
            keep(pending);
        }
    }

    /** Blocks a DAG prefetch keeps in one store write: one synced warm-tier write per batch. */
    static final int STORE_BATCH_BLOCKS = 256;

    static final long STORE_BATCH_BYTES = 4L << 20;

    /**
     * Stores fetched blocks together (a put per block costs a synced write, an fsync, each: longer
     * than the network round trip that fetched a batch of them) and counts them as read.
     */
    private void keep(List<Block> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        store.putAll(blocks);
        blocks.forEach(b -> network.received(b.cid()));
        blocks.clear();
    }

    /** The same reads with "not found" as null (what the gateway expects of a source). */
    public BlockSource orNull() {
        return new NullReads();
    }

    private final class NullReads implements BlockSource, DagPrefetch {
        @Override
        public Block get(Cid cid) {
            try {
                return reads.get(cid);
            } catch (BlockNotFoundException e) {
                return null;
            }
        }

        @Override
        public boolean isGone(Cid cid) {
            return reads.isGone(cid);
        }

        @Override
        public boolean holds(Cid cid) {
            return store.has(cid);
        }

        @Override
        public void prefetchDag(Cid root) {
            NetworkReads.this.prefetchDag(root);
        }
    }

    public NetworkBlocks network() {
        return network;
    }

    public Prefetcher prefetcher() {
        return reads;
    }

    @Override
    public void close() {
        reads.close();
        try {
            owned.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the network client failed", e);
        }
    }
}
