package io.ipdm.lakes.bitswap;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.multiformats.Cid;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fetches blocks over Bitswap: one block, or a whole DAG walked by its links with several wants in
 * flight, spread over the session's providers (see {@link Bitswap} for how peers are chosen). Every
 * block handed out has been checked against its CID. Methods block the calling thread; never call
 * them on the mesh event loop or the engine thread. Not thread-safe: one caller at a time.
 */
public final class BitswapSession implements AutoCloseable {
    /** What a DAG fetch did. */
    public record DagResult(Cid root, int fetched, long fetchedBytes, int local) {}

    private final BitswapNetwork network;
    private final long id;

    BitswapSession(BitswapNetwork network, long id) {
        this.network = network;
        this.id = id;
    }

    /**
     * Wants {@code cid}; the future completes with the verified block (never on its own fails).
     * Cancelling it withdraws this want and leaves the session open for others.
     */
    public CompletableFuture<Block> want(Cid cid) {
        CompletableFuture<Block> f = new CompletableFuture<>();
        Consumer<Block> listener = f::complete;
        network.run(() -> engine().want(id, List.of(cid), listener));
        // the engine thread runs tasks in order: the cancel never overtakes the want
        f.whenComplete(
                (b, e) -> {
                    if (e != null) {
                        network.run(() -> engine().cancel(cid, listener));
                    }
                });
        return f;
    }

    /**
     * The block for {@code cid}, verified; fails with a {@link BitswapException} naming the peers
     * asked when none sent it within {@code timeout}.
     */
    public Block fetch(Cid cid, Duration timeout) {
        BlockingQueue<Block> arrived = new LinkedBlockingQueue<>();
        Consumer<Block> listener = arrived::add;
        network.run(() -> engine().want(id, List.of(cid), listener));
        Block b = poll(arrived, timeout.toNanos());
        if (b == null) {
            throw notFound(List.of(cid), listener, timeout);
        }
        return b;
    }

    /**
     * Fetches the DAG under {@code root}: blocks {@code local} already holds are read from it and
     * not fetched (their links are still followed), every fetched block goes to {@code sink} (on
     * this thread) before its links are wanted. At most {@code parallel} wants are in flight. Fails
     * with a {@link BitswapException} when {@code timeout} passes without all of it.
     */
    public DagResult fetchDag(
            Cid root, BlockSource local, Consumer<Block> sink, int parallel, Duration timeout) {
        return fetchDag(root, local, sink, parallel, timeout, null, c -> {});
    }

    /**
     * As {@link #fetchDag(Cid, BlockSource, Consumer, int, Duration)}, telling {@code onStalled}
     * (on this thread; it must not block) about every block wanted for {@code stallAfter} without
     * arriving, once per block: the caller may look for more holders of it and {@link #addProviders
     * add} them to the session. {@code stallAfter} null: never.
     */
    public DagResult fetchDag(
            Cid root,
            BlockSource local,
            Consumer<Block> sink,
            int parallel,
            Duration timeout,
            Duration stallAfter,
            Consumer<Cid> onStalled) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long stall = stallAfter == null ? Long.MAX_VALUE : stallAfter.toNanos();
        BlockingQueue<Block> arrived = new LinkedBlockingQueue<>();
        Consumer<Block> listener = arrived::add;
        Deque<Cid> todo = new ArrayDeque<>();
        Set<Cid> seen = new HashSet<>();
        // in flight: when each was wanted; a stalled one is reported once (then Long.MAX_VALUE)
        Map<Cid, Long> inFlight = new HashMap<>();
        todo.push(root);
        seen.add(root);
        int fetched = 0;
        int fromLocal = 0;
        long bytes = 0;
        while (!todo.isEmpty() || !inFlight.isEmpty()) {
            List<Cid> batch = new ArrayList<>();
            while (!todo.isEmpty() && inFlight.size() + batch.size() < parallel) {
                Cid c = todo.pop();
                Block have = local == null ? null : local.get(c);
                if (have != null) {
                    fromLocal++;
                    follow(have, todo, seen);
                    continue;
                }
                batch.add(c);
            }
            if (!batch.isEmpty()) {
                long now = System.nanoTime();
                batch.forEach(c -> inFlight.put(c, now));
                network.run(() -> engine().want(id, batch, listener));
            }
            if (inFlight.isEmpty()) {
                continue;
            }
            long wait = deadline - System.nanoTime();
            long firstStall = Long.MAX_VALUE;
            for (long at : inFlight.values()) {
                if (at != Long.MAX_VALUE && stall != Long.MAX_VALUE) {
                    firstStall = Math.min(firstStall, at + stall);
                }
            }
            if (firstStall != Long.MAX_VALUE) {
                wait = Math.min(wait, Math.max(1, firstStall - System.nanoTime()));
            }
            Block first = poll(arrived, wait);
            if (first == null) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    throw notFound(List.copyOf(inFlight.keySet()), listener, timeout);
                }
                for (Map.Entry<Cid, Long> e : inFlight.entrySet()) {
                    if (e.getValue() != Long.MAX_VALUE && now - e.getValue() >= stall) {
                        e.setValue(Long.MAX_VALUE);
                        onStalled.accept(e.getKey());
                    }
                }
                continue;
            }
            // take every block that is in, so their links go out as one batch of wants
            List<Block> in = new ArrayList<>();
            in.add(first);
            arrived.drainTo(in);
            for (Block b : in) {
                if (inFlight.remove(b.cid()) == null) {
                    continue; // wanted twice (a link seen in two places)
                }
                fetched++;
                bytes += b.data().length;
                sink.accept(b);
                follow(b, todo, seen);
            }
        }
        return new DagResult(root, fetched, bytes, fromLocal);
    }

    /**
     * Lets the session ask {@code peers} too (holders found after it opened); a session that asks
     * every connected peer asks them once they are connected.
     */
    public void addProviders(Collection<PeerId> peers) {
        List<PeerId> copy = List.copyOf(peers);
        network.run(() -> engine().addProviders(id, copy));
    }

    private static void follow(Block b, Deque<Cid> todo, Set<Cid> seen) {
        List<Cid> links = Links.of(b);
        for (int i = links.size() - 1; i >= 0; i--) {
            if (seen.add(links.get(i))) {
                todo.push(links.get(i));
            }
        }
    }

    private BitswapException notFound(List<Cid> missing, Consumer<Block> listener, Duration t) {
        List<Set<PeerId>> asked =
                network.call(
                                e -> {
                                    List<Set<PeerId>> out = new ArrayList<>();
                                    for (Cid c : missing) {
                                        out.add(e.asked(c));
                                        e.cancel(c, listener);
                                    }
                                    return out;
                                })
                        .join();
        Set<PeerId> all = new HashSet<>();
        asked.forEach(all::addAll);
        return new BitswapException(
                "no peer sent "
                        + missing.get(0)
                        + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : "")
                        + " within "
                        + t
                        + "; asked "
                        + all.size()
                        + " peer"
                        + (all.size() == 1 ? "" : "s")
                        + (all.isEmpty() ? " (no Bitswap peer connected)" : ": " + all));
    }

    private static Block poll(BlockingQueue<Block> q, long nanos) {
        try {
            return nanos <= 0 ? q.poll() : q.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BitswapException("interrupted while fetching", e);
        }
    }

    private Bitswap engine() {
        return network.engine();
    }

    @Override
    public void close() {
        network.run(() -> engine().closeSession(id));
    }
}
