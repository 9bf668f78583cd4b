package io.ipdm.mesh.kad;

import io.ipdm.mesh.identify.Identify;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.multiaddr.Protocol;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.ConnectionListener;
import io.ipdm.mesh.transport.FrameException;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.ipdm.multiformats.Cid;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kademlia DHT on a mesh {@link Host}: feeds a {@link Kademlia} engine with the host's
 * connections, identify answers and {@code /ipfs/kad/1.0.0} streams, and carries out what it asks
 * (open a stream, dial, write a length-prefixed message, read one response, disconnect).
 *
 * <p>Wire behaviour (kad-dht spec, "RPC messages"): an outbound request opens a stream, writes the
 * request, reads one response and closes; ADD_PROVIDER is written and the stream closed without
 * waiting. An inbound stream may carry several requests, each answered in turn. A message over
 * {@link KadConfig#maxMessageBytes()} or one that does not decode resets the stream and penalizes
 * the peer; a banned peer's connection is closed and its streams refused.
 *
 * <p>In client mode the protocol is not registered, so identify does not advertise it and inbound
 * streams for it fail negotiation.
 *
 * <p>Threading: every public method may be called from any thread; the engine runs on the host's
 * event loop, where the returned futures complete (do not block in their callbacks).
 */
public final class KadNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KadNetwork.class);
    private static final long TICK_MILLIS = 200;
    private static final int MAX_DIAL_ADDRS = 4;

    private final Host host;
    private final KadConfig cfg;
    private final KadCodec codec;
    private final Kademlia kad;
    private final ScheduledFuture<?> ticker;
    private volatile List<Multiaddr> announce = List.of();
    private List<Multiaddr> listenSeen = List.of();
    private List<Multiaddr> listenExpanded = List.of();
    private final InstantSource clock;
    // re-bootstrap while the routing table is empty; on the event loop
    private List<Multiaddr> bootstrapPeers = List.of();
    private boolean bootstrapping;
    private long bootstrapRetryAt = -1;
    private long bootstrapRetryDelay;

    private KadNetwork(
            Host host,
            Identify identify,
            KadConfig cfg,
            InstantSource clock,
            RandomGenerator random) {
        this.host = host;
        this.cfg = cfg;
        this.clock = clock;
        this.bootstrapRetryDelay = cfg.bootstrapRetry().toMillis();
        this.codec = KadCodec.of(cfg);
        this.kad = new Kademlia(host.peerId(), cfg, clock, random);
        if (cfg.mode() == KadConfig.Mode.SERVER) {
            host.addProtocol(cfg.protocol(), this::onStream);
        }
        host.addConnectionListener(
                new ConnectionListener() {
                    @Override
                    public void onConnected(Connection c) {
                        kad.peerConnected(c.remotePeer());
                        pump();
                    }

                    @Override
                    public void onDisconnected(Connection c) {
                        kad.peerDisconnected(c.remotePeer());
                    }
                });
        identify.addListener(
                (conn, info) -> {
                    kad.peerIdentified(
                            conn.remotePeer(),
                            info.protocols(),
                            withObservedHost(info.listenAddrs(), conn.remoteAddress()));
                    pump();
                });
        this.ticker =
                host.eventLoop()
                        .scheduleAtFixedRate(
                                this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Installs the DHT on {@code host} with the system clock and a random seed. */
    public static KadNetwork install(Host host, Identify identify, KadConfig cfg) {
        return install(
                host,
                identify,
                cfg,
                InstantSource.system(),
                new SplittableRandom(new SecureRandom().nextLong()));
    }

    public static KadNetwork install(
            Host host,
            Identify identify,
            KadConfig cfg,
            InstantSource clock,
            RandomGenerator random) {
        KadNetwork n = new KadNetwork(host, identify, cfg, clock, random);
        n.host.onLoop(
                        () -> {
                            n.kad.setLocalAddresses(n.localAddrs());
                            return null;
                        })
                .join();
        return n;
    }

    public KadConfig config() {
        return cfg;
    }

    /**
     * Addresses to put in our provider records instead of the listen addresses (e.g. a public
     * address behind NAT); empty (the default) means the listen addresses, with 0.0.0.0 expanded to
     * this machine's IPv4 addresses.
     */
    public void setAnnounceAddrs(List<Multiaddr> addrs) {
        announce = List.copyOf(addrs);
    }

    // ---------------------------------------------------------------- operations

    /**
     * Providers of {@code key} (a multihash's bytes; for a CID, its multihash), until {@code max}
     * are found, the lookup converges or {@code timeout} passes. {@code onProvider} (may be null)
     * sees each provider as found, on the event loop.
     */
    public CompletableFuture<LookupResult> findProviders(
            byte[] key, int max, Duration timeout, Consumer<KadPeer> onProvider) {
        return call(() -> kad.findProviders(key.clone(), max, timeout, onProvider));
    }

    public CompletableFuture<LookupResult> findProviders(byte[] key, int max, Duration timeout) {
        return findProviders(key, max, timeout, null);
    }

    /** Providers of a CID (the DHT keys a CID by its multihash). */
    public CompletableFuture<LookupResult> findProviders(Cid cid, int max, Duration timeout) {
        return findProviders(cid.multihash().toBytes(), max, timeout, null);
    }

    /** Announces us as a provider of a CID (keyed by its multihash). */
    public CompletableFuture<ProvideResult> provide(Cid cid) {
        return provide(cid.multihash().toBytes());
    }

    /** Announces us as a provider of {@code key} and keeps republishing it. */
    public CompletableFuture<ProvideResult> provide(byte[] key) {
        return call(() -> kad.provide(key.clone()));
    }

    /**
     * Publishes our /pk or /ipns record for {@code key} to the k closest peers (validated first: an
     * invalid record fails with the reason).
     */
    public CompletableFuture<PutValueResult> putValue(byte[] key, byte[] value) {
        return call(() -> kad.putValue(key.clone(), value.clone()));
    }

    /** Looks up the best valid /pk or /ipns record of {@code key} here and in the DHT. */
    public CompletableFuture<ValueResult> getValue(byte[] key, Duration timeout) {
        return call(() -> kad.getValue(key.clone(), timeout));
    }

    public void stopProviding(byte[] key) {
        host.onLoop(
                () -> {
                    kad.stopProviding(key.clone());
                    return null;
                });
    }

    /** The addresses of {@code peer}; {@link LookupResult#peer()} is null when not found. */
    public CompletableFuture<LookupResult> findPeer(PeerId peer, Duration timeout) {
        return call(() -> kad.findPeer(peer, timeout));
    }

    public CompletableFuture<LookupResult> closestPeers(byte[] key, Duration timeout) {
        return call(() -> kad.closestPeers(key.clone(), timeout));
    }

    /**
     * Dials {@code addrs} (each with /p2p/), then looks up our own key through those that answered.
     * Fails when none could be dialed. The peers are remembered: whenever the routing table is
     * empty (they were down when we started, or every contact left), they are dialed again after
     * {@link KadConfig#bootstrapRetry}, then twice as long each time up to the refresh interval.
     */
    public CompletableFuture<LookupResult> bootstrap(List<Multiaddr> addrs) {
        for (Multiaddr a : addrs) {
            if (a.peerId() == null) {
                return CompletableFuture.failedFuture(
                        new IllegalArgumentException(
                                "bootstrap address " + a + " has no /p2p/<peer id>"));
            }
        }
        List<Multiaddr> peers = List.copyOf(addrs);
        return host.onLoop(
                        () -> {
                            bootstrapPeers = peers;
                            bootstrapping = true;
                            return null;
                        })
                .thenCompose(v -> bootstrapOnce(peers))
                .whenComplete((r, e) -> host.eventLoop().execute(() -> bootstrapping = false));
    }

    /** Called every tick: dials the bootstrap peers again while the routing table is empty. */
    private void retryBootstrap() {
        if (bootstrapPeers.isEmpty() || bootstrapping) {
            return;
        }
        long now = clock.millis();
        if (!kad.routingTable().isEmpty()) {
            bootstrapRetryAt = -1;
            bootstrapRetryDelay = cfg.bootstrapRetry().toMillis();
            return;
        }
        if (bootstrapRetryAt < 0) {
            bootstrapRetryAt = now + bootstrapRetryDelay;
            return;
        }
        if (now < bootstrapRetryAt) {
            return;
        }
        LOG.info(
                "DHT routing table empty: dialing the {} bootstrap peers again",
                bootstrapPeers.size());
        bootstrapping = true;
        bootstrapRetryAt = -1;
        bootstrapRetryDelay = Math.min(bootstrapRetryDelay * 2, cfg.refreshInterval().toMillis());
        bootstrapOnce(bootstrapPeers)
                .whenComplete(
                        (r, e) -> {
                            if (e != null) {
                                LOG.warn("DHT bootstrap failed again: {}", e.toString());
                            }
                            host.eventLoop().execute(() -> bootstrapping = false);
                        });
    }

    private CompletableFuture<LookupResult> bootstrapOnce(List<Multiaddr> addrs) {
        List<CompletableFuture<KadPeer>> dials = new ArrayList<>();
        for (Multiaddr a : addrs) {
            dials.add(
                    host.dial(a)
                            .handle(
                                    (c, e) -> {
                                        if (e != null) {
                                            LOG.warn(
                                                    "DHT bootstrap peer {} unreachable: {}",
                                                    a,
                                                    e.toString());
                                            return null;
                                        }
                                        return KadPeer.of(
                                                c.remotePeer(), List.of(a.withoutPeerId()));
                                    }));
        }
        return CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new))
                .thenCompose(
                        v -> {
                            List<KadPeer> seeds = new ArrayList<>();
                            for (CompletableFuture<KadPeer> d : dials) {
                                if (d.join() != null) {
                                    seeds.add(d.join());
                                }
                            }
                            if (seeds.isEmpty() && !addrs.isEmpty()) {
                                return CompletableFuture.failedFuture(
                                        new IllegalStateException(
                                                "none of the "
                                                        + addrs.size()
                                                        + " DHT bootstrap peers could be dialed: "
                                                        + addrs));
                            }
                            return call(() -> kad.bootstrap(seeds));
                        });
    }

    // ---------------------------------------------------------------- views

    public List<RoutingEntry> routingTable() {
        return host.onLoop(kad::routingTable).join();
    }

    public KadStats stats() {
        return host.onLoop(kad::stats).join();
    }

    /**
     * The addresses this node puts in its provider records (see {@link #setAnnounceAddrs}), without
     * /p2p/; what it tells others to dial it at.
     */
    public List<Multiaddr> announcedAddrs() {
        return host.onLoop(this::localAddrs).join();
    }

    /** Provider records this node holds for {@code key} (including its own). */
    public List<ProviderRecord> localProviders(byte[] key) {
        return host.onLoop(() -> kad.localProviders(key)).join();
    }

    public double penalty(PeerId peer) {
        return host.onLoop(() -> kad.penalty(peer)).join();
    }

    public boolean isBanned(PeerId peer) {
        return host.onLoop(() -> kad.isBanned(peer)).join();
    }

    // ---------------------------------------------------------------- plumbing

    private <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> op) {
        return host.onLoop(
                        () -> {
                            kad.setLocalAddresses(localAddrs());
                            CompletableFuture<T> f = op.get();
                            pump();
                            return f;
                        })
                .thenCompose(f -> f);
    }

    private void tick() {
        try {
            kad.setLocalAddresses(localAddrs());
            kad.tick();
            retryBootstrap();
            pump();
        } catch (RuntimeException e) {
            LOG.error("DHT tick failed", e);
        }
    }

    private void pump() {
        for (KadAction a : kad.drainActions()) {
            switch (a) {
                case KadAction.SendRequest s -> send(s);
                case KadAction.Disconnect d -> {
                    LOG.warn("disconnecting {}: {}", d.peer(), d.reason());
                    Connection c = host.connection(d.peer());
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
    }

    private void send(KadAction.SendRequest s) {
        Connection c = host.connection(s.peer());
        CompletableFuture<Connection> conn =
                c != null && c.isOpen()
                        ? CompletableFuture.completedFuture(c)
                        : dialAny(s.peer(), s.addrs(), 0, null);
        conn.whenComplete(
                (cn, e) ->
                        host.eventLoop()
                                .execute(
                                        () -> {
                                            if (e != null) {
                                                fail(s, "cannot connect: " + e.getMessage());
                                            } else {
                                                openRequestStream(cn, s);
                                            }
                                        }));
    }

    private CompletableFuture<Connection> dialAny(
            PeerId peer, List<Multiaddr> addrs, int from, Throwable last) {
        List<Multiaddr> usable = dialable(addrs);
        if (from >= Math.min(usable.size(), MAX_DIAL_ADDRS)) {
            return CompletableFuture.failedFuture(
                    last != null
                            ? last
                            : new IllegalStateException(
                                    "no dialable TCP address for " + peer + " in " + addrs));
        }
        Multiaddr a = usable.get(from).withPeerId(peer);
        return host.dial(a)
                .handle(
                        (cn, e) ->
                                e == null
                                        ? CompletableFuture.completedFuture(cn)
                                        : dialAny(peer, addrs, from + 1, e))
                .thenCompose(f -> f);
    }

    /**
     * A peer listening on 0.0.0.0 (or ::) advertises that; the port is right but the host is not
     * dialable, so the host it connected to us from takes its place.
     */
    static List<Multiaddr> withObservedHost(List<Multiaddr> listen, Multiaddr observed) {
        List<Multiaddr> out = new ArrayList<>(listen.size());
        String observedHost = observed.parts().get(0).value();
        Protocol observedProto = observed.parts().get(0).protocol();
        for (Multiaddr a : listen) {
            String ip = a.parts().get(0).value();
            boolean unspecified = ip.equals("0.0.0.0") || ip.equals("0:0:0:0:0:0:0:0");
            String port = a.value(Protocol.TCP);
            if (unspecified && port != null) {
                // the rest (/tcp/N, /ws) is kept
                Multiaddr fixed = a.withHost(observedProto, observedHost);
                if (!out.contains(fixed)) {
                    out.add(fixed);
                }
            } else if (!out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * IPv4/IPv6 TCP and WebSocket addresses with a real host (no DNS: resolving would block the
     * loop).
     */
    private static List<Multiaddr> dialable(List<Multiaddr> addrs) {
        List<Multiaddr> out = new ArrayList<>();
        for (Multiaddr a : addrs) {
            if (a.parts().size() < 2) {
                continue;
            }
            Protocol p = a.parts().get(0).protocol();
            String ip = a.parts().get(0).value();
            if ((p == Protocol.IP4 || p == Protocol.IP6)
                    && a.parts().get(1).protocol() == Protocol.TCP
                    && !a.has(Protocol.WSS) // no TLS here (a /ws address is dialable)
                    && !a.has(Protocol.TLS)
                    && !ip.equals("0.0.0.0")
                    && !ip.equals("0:0:0:0:0:0:0:0")) {
                out.add(a);
            }
        }
        return out;
    }

    private void fail(KadAction.SendRequest s, String reason) {
        if (s.expectResponse()) {
            kad.onRequestFailed(s.id(), reason);
            pump();
        }
    }

    private void openRequestStream(Connection conn, KadAction.SendRequest s) {
        PeerId peer = s.peer();
        LengthPrefixedReader reader =
                new LengthPrefixedReader(codec.maxMessageBytes(), "kad response from " + peer);
        boolean[] done = new boolean[1];
        StreamHandler handler =
                new StreamHandler() {
                    @Override
                    public void onData(YamuxStream st, ByteBuf data) {
                        if (done[0]) {
                            return;
                        }
                        try {
                            reader.feed(data, m -> onResponseBytes(st, m));
                        } catch (FrameException e) {
                            finishWith(st, e.getMessage(), true);
                        }
                        if (done[0]) {
                            reader.release(); // not inside feed: it still uses its buffer
                        }
                    }

                    private void onResponseBytes(YamuxStream st, byte[] m) {
                        if (done[0]) {
                            return;
                        }
                        KadMessage resp;
                        try {
                            resp = codec.decode(m);
                        } catch (KadException e) {
                            finishWith(st, e.getMessage(), true);
                            return;
                        }
                        done[0] = true;
                        st.closeWrite();
                        try {
                            kad.onResponse(s.id(), resp);
                        } catch (RuntimeException e) { // a bug must not reach the muxer
                            LOG.error("DHT failed on {} from {}", resp, peer, e);
                        }
                        pump();
                    }

                    private void finishWith(YamuxStream st, String reason, boolean malformed) {
                        done[0] = true;
                        st.reset();
                        if (malformed) {
                            kad.onMalformed(peer, reason);
                        }
                        fail(s, reason);
                    }

                    @Override
                    public void onRemoteClose(YamuxStream st) {
                        if (!done[0]) {
                            done[0] = true;
                            reader.release();
                            st.closeWrite();
                            fail(s, "stream closed without a response");
                        }
                    }

                    @Override
                    public void onReset(YamuxStream st) {
                        if (!done[0]) {
                            done[0] = true;
                            reader.release();
                            fail(s, "stream reset by the peer");
                        }
                    }
                };
        conn.newStream(cfg.protocol(), handler)
                .whenComplete(
                        (st, e) -> {
                            if (e != null) {
                                host.eventLoop()
                                        .execute(
                                                () -> {
                                                    done[0] = true;
                                                    reader.release();
                                                    fail(s, "no kad stream: " + e.getMessage());
                                                });
                                return;
                            }
                            st.write(LengthPrefixedReader.frame(codec.encode(s.message())));
                            if (!s.expectResponse()) {
                                done[0] = true;
                                reader.release();
                                st.closeWrite();
                                return;
                            }
                            host.eventLoop()
                                    .schedule(
                                            () -> {
                                                if (!done[0]) {
                                                    done[0] = true;
                                                    reader.release();
                                                    st.reset();
                                                    fail(
                                                            s,
                                                            "no response within "
                                                                    + cfg.requestTimeout());
                                                }
                                            },
                                            cfg.requestTimeout().toMillis(),
                                            TimeUnit.MILLISECONDS);
                        });
    }

    private StreamHandler onStream(Connection conn, YamuxStream stream) {
        PeerId from = conn.remotePeer();
        if (kad.isBanned(from)) {
            stream.reset();
            return (s, d) -> {};
        }
        LengthPrefixedReader reader =
                new LengthPrefixedReader(codec.maxMessageBytes(), "kad request from " + from);
        boolean[] closed = new boolean[1];
        int[] handled = new int[1];
        // A stream that never completes a request is reset after the request timeout, so idle
        // streams do not pile up.
        host.eventLoop()
                .schedule(
                        () -> {
                            if (handled[0] == 0 && !closed[0]) {
                                closed[0] = true;
                                reader.release();
                                stream.reset();
                            }
                        },
                        cfg.requestTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
        return new StreamHandler() {
            @Override
            public void onData(YamuxStream s, ByteBuf data) {
                if (closed[0]) {
                    return;
                }
                try {
                    reader.feed(data, m -> onRequestBytes(s, m));
                } catch (FrameException e) {
                    refuse(s, e.getMessage(), true);
                }
                if (closed[0]) {
                    reader.release(); // not inside feed: it still uses its buffer
                }
            }

            private void onRequestBytes(YamuxStream s, byte[] m) {
                if (closed[0]) {
                    return;
                }
                handled[0]++;
                KadMessage req;
                try {
                    req = codec.decode(m);
                } catch (KadException e) {
                    refuse(s, e.getMessage(), true);
                    return;
                }
                InboundResult r;
                try {
                    r = kad.onRequest(from, req);
                } catch (RuntimeException e) { // a bug must cost one stream, not the connection
                    LOG.error("DHT failed to answer {} from {}", req, from, e);
                    refuse(s, "internal error: " + e, false);
                    return;
                }
                switch (r) {
                    case InboundResult.Respond resp ->
                            s.write(LengthPrefixedReader.frame(codec.encode(resp.message())));
                    case InboundResult.NoResponse n -> {}
                    case InboundResult.Refuse f -> refuse(s, f.reason(), false);
                }
                pump();
            }

            private void refuse(YamuxStream s, String reason, boolean malformed) {
                closed[0] = true;
                s.reset();
                LOG.debug("kad stream from {} reset: {}", from, reason);
                if (malformed) {
                    kad.onMalformed(from, reason);
                    pump();
                }
            }

            @Override
            public void onRemoteClose(YamuxStream s) {
                if (!closed[0]) {
                    closed[0] = true;
                    reader.release();
                    s.closeWrite();
                }
            }

            @Override
            public void onReset(YamuxStream s) {
                if (!closed[0]) { // else refuse() reset it from inside feed, which releases later
                    closed[0] = true;
                    reader.release();
                }
            }
        };
    }

    /** Our addresses for provider records: the announce list, else dialable listen addresses. */
    private List<Multiaddr> localAddrs() {
        if (!announce.isEmpty()) {
            return announce;
        }
        List<Multiaddr> listen = host.listenAddrs();
        if (listen.equals(listenSeen)) {
            return listenExpanded;
        }
        List<Multiaddr> out = new ArrayList<>();
        for (Multiaddr l : listen) {
            Multiaddr a = l.withoutPeerId();
            String ip = a.parts().get(0).value();
            if (a.parts().get(0).protocol() == Protocol.IP4 && ip.equals("0.0.0.0")) {
                for (InetAddress ia : localIpv4()) {
                    out.add(a.withHost(Protocol.IP4, ia.getHostAddress()));
                }
            } else {
                out.add(a);
            }
        }
        listenSeen = listen;
        listenExpanded = List.copyOf(out);
        return listenExpanded;
    }

    private static List<InetAddress> localIpv4() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp()) {
                    continue;
                }
                for (InetAddress ia : Collections.list(ni.getInetAddresses())) {
                    if (ia instanceof Inet4Address && !ia.isLinkLocalAddress()) {
                        out.add(ia);
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("cannot list network interfaces: {}", e.toString());
        }
        return out;
    }

    @Override
    public void close() {
        ticker.cancel(false);
    }
}
