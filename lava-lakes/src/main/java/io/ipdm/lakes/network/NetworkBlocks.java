package io.ipdm.lakes.network;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Blocks from the network alone (the local lake is the {@link io.ipdm.lakes.policy.Prefetcher}'s
 * business): the peers that served the last block of this source are asked first, as a Bitswap
 * session does, then the given peers together with the providers {@link ContentRouting} finds. A
 * read waits at most {@code deadline}; when it fails, {@link #fetch} says how many peers were
 * asked. Thread-safe.
 */
public final class NetworkBlocks implements BlockSource {
    private final ContentRouting routing;
    private final BlockExchange exchange;
    private final List<Provider> peers;
    private final Duration deadline;
    private final int maxProviders;
    private final LongSupplier nanoTime;
    private volatile List<Provider> lastServed = List.of();
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();
    private volatile Consumer<Cid> onFetched = c -> {};

    /**
     * @param peers asked for every block besides the providers routing finds (e.g. {@code lake get
     *     --network} addresses)
     * @param deadline how long one block read may take, lookup and transfer together
     */
    public NetworkBlocks(
            ContentRouting routing,
            BlockExchange exchange,
            List<Provider> peers,
            Duration deadline,
            int maxProviders,
            LongSupplier nanoTime) {
        this.routing = routing;
        this.exchange = exchange;
        this.peers = List.copyOf(peers);
        this.deadline = deadline;
        this.maxProviders = maxProviders;
        this.nanoTime = nanoTime;
    }

    public NetworkBlocks(
            ContentRouting routing,
            BlockExchange exchange,
            List<Provider> peers,
            Duration deadline) {
        this(routing, exchange, peers, deadline, 20, System::nanoTime);
    }

    /**
     * The block from the network. Unlike a local source it does not answer null: when no peer had
     * it in time it throws {@link BlockNotFoundException} saying how many peers were asked.
     */
    @Override
    public Block get(Cid cid) {
        long end = nanoTime.getAsLong() + deadline.toNanos();
        List<Provider> session = lastServed;
        if (!session.isEmpty()) {
            // a DAG is usually held whole by whoever served its last block: skip the lookup
            Block b = await(exchange.fetch(cid, session), Math.min(remaining(end), quarter()));
            if (b != null) {
                return served(b, session);
            }
        }
        ContentRouting.Lookup lookup;
        lookups.incrementAndGet();
        try {
            lookup = routing.findProviders(cid, maxProviders, Duration.ofNanos(remaining(end)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlockNotFoundException("interrupted while looking for providers of " + cid);
        }
        Map<PeerId, Provider> candidates = new LinkedHashMap<>();
        peers.forEach(p -> candidates.putIfAbsent(p.peer(), p));
        lookup.providers().forEach(p -> candidates.putIfAbsent(p.peer(), p));
        if (candidates.isEmpty()) {
            failed.incrementAndGet();
            throw new BlockNotFoundException(
                    "block "
                            + cid
                            + " is not in this lake and no peer provides it: the DHT asked "
                            + lookup.peersQueried()
                            + " peers and found no provider (give a peer with --network"
                            + " MULTIADDR/p2p/ID or --bootstrap)");
        }
        List<Provider> asked = new ArrayList<>(candidates.values());
        Block b = remaining(end) > 0 ? await(exchange.fetch(cid, asked), remaining(end)) : null;
        if (b == null) {
            failed.incrementAndGet();
            throw new BlockNotFoundException(
                    "block "
                            + cid
                            + " is not in this lake and none of the "
                            + asked.size()
                            + " peers asked sent it within "
                            + deadline.toMillis()
                            + " ms ("
                            + lookup.providers().size()
                            + " providers found by the DHT after asking "
                            + lookup.peersQueried()
                            + " peers, "
                            + peers.size()
                            + " peers given)"
                            + unreachable(asked));
        }
        return served(b, asked);
    }

    /** The asked peers no dial reached, with why, or "" when every one was reachable. */
    private String unreachable(List<Provider> asked) {
        List<String> failed = new ArrayList<>();
        for (Provider p : asked) {
            String why = exchange.dialFailure(p.peer());
            if (why != null) {
                failed.add(p.peer() + " (" + why + ")");
            }
        }
        return failed.isEmpty()
                ? ""
                : "; could not connect to "
                        + failed.size()
                        + " of them: "
                        + String.join(", ", failed)
                        + ": check that each is running and reachable at the address given";
    }

    private Block served(Block b, List<Provider> from) {
        lastServed = from;
        Block v = b.verified();
        received(v.cid());
        return v;
    }

    /**
     * Counts a block read from the network outside {@link #get} (a DAG fetched whole) and tells the
     * {@link #onFetched} listener, as a read does.
     */
    public void received(Cid cid) {
        fetched.incrementAndGet();
        onFetched.accept(cid);
    }

    /**
     * The peers the last read was answered from (the given peers and the providers found for it),
     * else the given peers: who a DAG fetch following that read asks first, instead of looking its
     * blocks up again. Empty when there are neither.
     */
    public List<Provider> servedBy() {
        List<Provider> s = lastServed;
        return s.isEmpty() ? peers : s;
    }

    /**
     * Tells {@code listener} the CID of every block read from the network (a storage node's
     * durability protocol decides whether to keep it as cache). Called on the reading thread.
     */
    public void onFetched(Consumer<Cid> listener) {
        this.onFetched = listener;
    }

    private long remaining(long end) {
        return Math.max(0, end - nanoTime.getAsLong());
    }

    private long quarter() {
        return Math.max(1, deadline.toNanos() / 4);
    }

    private static Block await(CompletableFuture<Block> f, long nanos) {
        try {
            return f.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            f.cancel(true);
            return null;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Blocks received from peers. */
    public long fetched() {
        return fetched.get();
    }

    /** Provider lookups made (a read its session's peers did not answer in time). */
    public long lookups() {
        return lookups.get();
    }

    /** Reads that found the block nowhere. */
    public long failed() {
        return failed.get();
    }

    public long pendingWants() {
        return exchange.pendingWants();
    }
}
