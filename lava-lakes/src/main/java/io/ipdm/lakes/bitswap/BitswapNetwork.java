package io.ipdm.lakes.bitswap;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.ConnectionListener;
import io.ipdm.mesh.transport.FrameException;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.ipdm.multiformats.Cid;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Bitswap} engine on a mesh {@link Host}: serves {@code /ipfs/bitswap/1.2.0}, 1.1.0
 * and 1.0.0, tells the engine about connections, feeds it length-prefixed messages, and carries out
 * its actions. As go-bitswap and Helia do, each batch of outgoing messages goes on a new stream
 * that is closed after writing; messages queued while a stream is being negotiated join it. The
 * version a peer accepts is found by offering 1.2.0, then 1.1.0, then 1.0.0.
 *
 * <p>Threading: the engine lives on one thread of its own ({@code ipdm-bitswap}), so block store
 * reads stay off the mesh event loop; messages are decoded (every block hashed) on a small pool, in
 * order per stream, before the engine sees them. Public methods are thread-safe; {@link #session}
 * fetches block the caller.
 */
public final class BitswapNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BitswapNetwork.class);

    private final Host host;
    private final Bitswap engine;
    private final ScheduledExecutorService thread;
    private final ExecutorService decoders;
    private final Map<PeerId, BitswapVersion> versions = new HashMap<>();
    private final Map<PeerId, Batch> opening = new HashMap<>();
    private final int maxMessage;

    /**
     * Bytes of messages one stream carries: each stream gets its own Yamux window, so several small
     * streams keep more in flight than one long one.
     */
    private final int maxStream;

    private final Set<BitswapVersion> spoken = EnumSet.noneOf(BitswapVersion.class);
    private volatile boolean closed;

    private BitswapNetwork(Host host, Bitswap engine) {
        this.host = host;
        this.engine = engine;
        this.maxMessage = engine.config().limits().maxMessageBytes();
        this.maxStream = engine.config().targetMessageBytes();
        this.decoders =
                Executors.newFixedThreadPool(
                        Math.max(2, Runtime.getRuntime().availableProcessors()),
                        r -> {
                            Thread t = new Thread(r, "ipdm-bitswap-decode-" + host.peerId());
                            t.setDaemon(true);
                            return t;
                        });
        this.thread =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "ipdm-bitswap-" + host.peerId());
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Serves {@code store} over Bitswap on {@code host} and returns the running network. */
    public static BitswapNetwork start(
            Host host, BlockStore store, BitswapConfig config, Clock clock) {
        return start(host, store, config, clock, EnumSet.allOf(BitswapVersion.class));
    }

    /**
     * As {@link #start(Host, BlockStore, BitswapConfig, Clock)}, speaking only {@code versions}.
     */
    public static BitswapNetwork start(
            Host host,
            BlockStore store,
            BitswapConfig config,
            Clock clock,
            Set<BitswapVersion> versions) {
        BitswapNetwork n = new BitswapNetwork(host, new Bitswap(config, store, clock));
        n.spoken.addAll(versions);
        for (BitswapVersion v : versions) {
            host.addProtocol(
                    v.protocolId(), (conn, stream) -> n.inbound(conn.remotePeer(), v, stream));
        }
        host.addConnectionListener(
                new ConnectionListener() {
                    @Override
                    public void onConnected(Connection c) {
                        n.run(() -> n.connected(c.remotePeer()));
                    }

                    @Override
                    public void onDisconnected(Connection c) {
                        n.run(
                                () -> {
                                    n.versions.remove(c.remotePeer());
                                    n.engine.peerDisconnected(c.remotePeer());
                                });
                    }
                });
        for (Connection c : host.connections()) {
            n.run(() -> n.connected(c.remotePeer()));
        }
        long tick = Math.max(20, Math.min(250, config.wantTimeout().toMillis() / 5));
        n.thread.scheduleWithFixedDelay(
                () -> n.run(n.engine::tick), tick, tick, TimeUnit.MILLISECONDS);
        return n;
    }

    private void connected(PeerId peer) {
        engine.peerConnected(peer, versions.getOrDefault(peer, newest()));
    }

    public Host host() {
        return host;
    }

    Bitswap engine() {
        return engine;
    }

    /** Opens a fetch session asking {@code providers}, or every connected peer when empty. */
    public BitswapSession session(Collection<PeerId> providers) {
        long id = call(() -> engine.newSession(providers)).join();
        return new BitswapSession(this, id);
    }

    /** A snapshot of the Bitswap peers (wants, blocks and bytes each way, score), for status. */
    public List<Bitswap.PeerStats> peerStats() {
        return call(Bitswap::peers).join();
    }

    /** A snapshot of the CIDs this node is fetching now. */
    public List<Cid> wantlist() {
        return call(Bitswap::wantlist).join();
    }

    /** Tells the engine that blocks entered the store, so peers waiting for them get them. */
    public void blocksAdded(Collection<Cid> cids) {
        List<Cid> copy = List.copyOf(cids);
        run(() -> engine.blocksAdded(copy));
    }

    /** Runs {@code task} against the engine on its thread and returns its result. */
    public <T> CompletableFuture<T> call(java.util.function.Function<Bitswap, T> task) {
        return call(() -> task.apply(engine));
    }

    <T> CompletableFuture<T> call(Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        thread.execute(
                () -> {
                    try {
                        f.complete(task.get());
                    } catch (RuntimeException e) {
                        f.completeExceptionally(e);
                    } finally {
                        pump();
                    }
                });
        return f;
    }

    void run(Runnable task) {
        if (closed) {
            return;
        }
        thread.execute(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.warn("bitswap engine task failed", e);
                    }
                    pump();
                });
    }

    // ---------------------------------------------------------------- inbound

    private StreamHandler inbound(PeerId peer, BitswapVersion v, YamuxStream stream) {
        LengthPrefixedReader reader =
                new LengthPrefixedReader(maxMessage, v.protocolId() + " message from " + peer);
        run(
                () -> {
                    versions.put(peer, v);
                    engine.peerVersion(peer, v);
                });
        CompletableFuture<?>[] tail = {CompletableFuture.completedFuture(null)};
        return new StreamHandler() {
            @Override
            public void onData(YamuxStream s, ByteBuf data) {
                try {
                    // decoding hashes every block: done on a pool, in order per stream; the
                    // stream holds the bytes until decoded, so a fast peer waits for the pool
                    reader.feed(
                            data,
                            m ->
                                    tail[0] =
                                            tail[0].thenRunAsync(
                                                    s.holdUntilDone(
                                                            m.length, () -> decode(peer, m)),
                                                    decoders));
                } catch (FrameException e) {
                    reader.release();
                    s.reset();
                    run(() -> engine.violation(peer, e.getMessage()));
                }
            }

            @Override
            public void onRemoteClose(YamuxStream s) {
                reader.release();
                s.closeWrite();
            }

            @Override
            public void onReset(YamuxStream s) {
                reader.release();
            }
        };
    }

    private void decode(PeerId peer, byte[] raw) {
        BitswapMessage m;
        try {
            m = engine.codec().decode(raw, peer);
        } catch (BitswapException e) {
            run(() -> engine.violation(peer, e.getMessage()));
            return;
        }
        run(() -> engine.received(peer, m));
    }

    // ---------------------------------------------------------------- outbound

    /** Messages for one peer that will share a stream. */
    private static final class Batch {
        final PeerId peer;
        final List<BitswapMessage> messages = new ArrayList<>();
        long bytes;

        Batch(PeerId peer) {
            this.peer = peer;
        }
    }

    /** Carries out the engine's actions; on the engine thread. */
    private void pump() {
        for (Bitswap.Action a : engine.drain()) {
            switch (a) {
                case Bitswap.Send s -> send(s.peer(), s.message());
                case Bitswap.Disconnect d -> disconnect(d.peer(), d.reason());
            }
        }
    }

    private void send(PeerId peer, BitswapMessage m) {
        long size = m.blockBytes() + 64L * (m.entries().size() + m.presences().size());
        Batch b = opening.get(peer);
        if (b != null && b.bytes + size <= maxStream) {
            b.messages.add(m);
            b.bytes += size;
            return;
        }
        b = new Batch(peer);
        b.messages.add(m);
        b.bytes = size;
        opening.put(peer, b);
        open(b, versions.getOrDefault(peer, newest()));
    }

    private BitswapVersion newest() {
        return spoken.iterator().next();
    }

    /** The next version to offer after {@code v} failed, or null. */
    private BitswapVersion below(BitswapVersion v) {
        for (BitswapVersion o : spoken) {
            if (o.ordinal() > v.ordinal()) {
                return o;
            }
        }
        return null;
    }

    private void open(Batch b, BitswapVersion v) {
        host.eventLoop()
                .execute(
                        () -> {
                            Connection c = host.connection(b.peer);
                            if (c == null || !c.isOpen()) {
                                run(() -> opening.remove(b.peer, b));
                                return;
                            }
                            c.newStream(v.protocolId(), OUTBOUND)
                                    .whenComplete((s, e) -> run(() -> opened(b, v, s, e)));
                        });
    }

    private void opened(Batch b, BitswapVersion v, YamuxStream s, Throwable e) {
        if (e != null) {
            BitswapVersion lower = below(v);
            if (lower != null && !closed) {
                open(b, lower);
                return;
            }
            opening.remove(b.peer, b);
            LOG.debug("{} speaks no Bitswap version: {}", b.peer, e.toString());
            engine.peerDisconnected(b.peer);
            return;
        }
        opening.remove(b.peer, b);
        if (versions.get(b.peer) != v) {
            versions.put(b.peer, v);
            engine.peerVersion(b.peer, v);
        }
        long blockBytes = 0;
        for (BitswapMessage m : b.messages) {
            blockBytes += m.blockBytes();
            byte[] frame;
            try {
                frame = engine.codec().encodeFramed(m, v);
            } catch (BitswapException ex) {
                LOG.warn("not sending to {}: {}", b.peer, ex.getMessage());
                continue;
            }
            s.write(Unpooled.wrappedBuffer(frame));
        }
        s.closeWrite();
        if (blockBytes > 0) {
            Sent sent = new Sent(b.peer, s, blockBytes);
            host.eventLoop().execute(() -> track(sent)); // after the writes queued above
        }
    }

    // ---------------------------------------------------------------- drain tracking

    /** Blocks written to a stream, not yet all taken by the peer's window. */
    private record Sent(PeerId peer, YamuxStream stream, long blockBytes) {}

    /** Streams with blocks still queued; on the event loop. */
    private final List<Sent> sending = new ArrayList<>();

    private boolean polling;

    private void track(Sent s) {
        sending.add(s);
        if (!polling) {
            polling = true;
            host.eventLoop().schedule(this::pollDrained, 2, TimeUnit.MILLISECONDS);
        }
    }

    /** Tells the engine which streams have emptied, so it serves the peer more. */
    private void pollDrained() {
        Map<PeerId, Long> drained = new HashMap<>();
        sending.removeIf(
                s -> {
                    if (s.stream().isReset() || s.stream().queuedBytes() == 0) {
                        drained.merge(s.peer(), s.blockBytes(), Long::sum);
                        return true;
                    }
                    return false;
                });
        drained.forEach((peer, n) -> run(() -> engine.drained(peer, n)));
        if (sending.isEmpty() || closed) {
            polling = false;
        } else {
            host.eventLoop().schedule(this::pollDrained, 2, TimeUnit.MILLISECONDS);
        }
    }

    private static final StreamHandler OUTBOUND =
            new StreamHandler() {
                @Override
                public void onData(YamuxStream s, ByteBuf data) {
                    // the peer has nothing to say on a stream this node opened
                }
            };

    private void disconnect(PeerId peer, String reason) {
        LOG.info("disconnecting Bitswap peer {}: {}", peer, reason);
        opening.remove(peer);
        host.eventLoop()
                .execute(
                        () -> {
                            Connection c = host.connection(peer);
                            if (c != null) {
                                c.close();
                            }
                        });
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        decoders.shutdownNow();
    }
}
