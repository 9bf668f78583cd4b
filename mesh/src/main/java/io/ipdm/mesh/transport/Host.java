package io.ipdm.mesh.transport;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.noise.XXHandshake;
import io.ipdm.mesh.yamux.YamuxHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p host over TCP and WebSockets ({@code /ws}, {@link WebSocketTransport}): listens and
 * dials, upgrades connections (multistream-select, Noise, Yamux), keeps at most one connection per
 * peer and at most {@link TransportConfig#maxConnections()} in total, and dispatches inbound
 * streams to registered protocols.
 *
 * <p>Threading: one event loop thread runs all I/O and every callback (protocols, listeners), so
 * protocol state needs no locks as long as it is only touched from {@link #eventLoop()}.
 */
public final class Host implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);
    private static final AttributeKey<CompletableFuture<Connection>> DIAL =
            AttributeKey.valueOf("ipdm.dial");

    private final Ed25519KeyPair identity;
    private final TransportConfig config;
    private final byte[] noiseStatic;
    private final NioEventLoopGroup group;
    private final EventLoop loop;
    private final Map<String, ProtocolHandler> protocols = new LinkedHashMap<>();
    private final Map<PeerId, Connection> connections = new HashMap<>();
    private final Map<Channel, Connection> byChannel = new HashMap<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<PeerId, String>> misbehaviour =
            new CopyOnWriteArrayList<>();
    private final List<Channel> servers = new ArrayList<>();
    private final List<Multiaddr> listenAddrs = new CopyOnWriteArrayList<>();
    private int rawChannels;

    /** Inbound channels still negotiating security and muxer, oldest first. */
    private final LinkedHashSet<Channel> upgradingInbound = new LinkedHashSet<>();

    public Host(Ed25519KeyPair identity, TransportConfig config) {
        this.identity = identity;
        this.config = config;
        this.noiseStatic = XXHandshake.newPrivateKey(new SecureRandom());
        this.group = new NioEventLoopGroup(1);
        this.loop = group.next();
    }

    public PeerId peerId() {
        return identity.peerId();
    }

    public Ed25519KeyPair identity() {
        return identity;
    }

    public TransportConfig config() {
        return config;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    /**
     * Registers a protocol for inbound streams; a new protocol id tells the {@link
     * #addChangeListener change listeners} (identify push).
     */
    public void addProtocol(String protocolId, ProtocolHandler handler) {
        onLoop(
                        () -> {
                            if (protocols.put(protocolId, handler) == null) {
                                changeListeners.forEach(Runnable::run);
                            }
                            return null;
                        })
                .join();
    }

    /**
     * Calls {@code listener} on the event loop whenever what peers know of us changed: a protocol
     * was added or a listen address bound. Identify pushes on it.
     */
    public void addChangeListener(Runnable listener) {
        changeListeners.add(listener);
    }

    public List<String> protocols() {
        return onLoop(() -> List.copyOf(protocols.keySet())).join();
    }

    public void addConnectionListener(ConnectionListener l) {
        listeners.add(l);
    }

    /**
     * Calls {@code hook} on the event loop with a peer and the reason when its connection broke the
     * muxer's rules: a Yamux protocol error, or more unconsumed bytes than the connection's receive
     * budget ({@link io.ipdm.mesh.yamux.YamuxConfig#maxUnconsumed}).
     */
    public void onPeerMisbehaved(java.util.function.BiConsumer<PeerId, String> hook) {
        misbehaviour.add(hook);
    }

    /**
     * Binds a TCP ({@code /tcp/N}) or WebSocket ({@code /tcp/N/ws}) listener; returns the bound
     * address (port 0 becomes the real port) with /p2p.
     *
     * @throws io.ipdm.mesh.multiaddr.MultiaddrException for an address of another transport ({@code
     *     /wss} included)
     * @throws UncheckedIOException naming the address when it cannot be bound (e.g. in use)
     */
    public Multiaddr listen(Multiaddr addr) {
        boolean ws = WebSocketTransport.isWebSocket(addr);
        InetSocketAddress sa = addr.toTcpSocketAddress();
        ServerBootstrap b =
                new ServerBootstrap()
                        .group(group)
                        .channel(NioServerSocketChannel.class)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        initPipeline(ch, false, null, ws ? addr : null);
                                    }
                                });
        ChannelFuture f = b.bind(sa).awaitUninterruptibly();
        if (!f.isSuccess()) {
            // Netty's own message ("Address already in use") names neither the address nor a way
            // out
            IOException cause =
                    f.cause() instanceof IOException io ? io : new IOException(f.cause());
            throw new UncheckedIOException(
                    "cannot listen on "
                            + addr.withoutPeerId()
                            + ": "
                            + f.cause().getMessage()
                            + " (another process may hold that port: stop it, or listen on"
                            + " another port; port 0 picks any free one)",
                    cause);
        }
        servers.add(f.channel());
        Multiaddr bound =
                ws
                        ? WebSocketTransport.multiaddr(f.channel().localAddress())
                        : Multiaddr.of((InetSocketAddress) f.channel().localAddress());
        listenAddrs.add(bound);
        onLoop(
                () -> {
                    changeListeners.forEach(Runnable::run);
                    return null;
                });
        return bound.withPeerId(peerId());
    }

    /**
     * Checks, without resolving names, that {@code addr} is one a host listens on and dials: {@code
     * /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>}, optionally {@code /ws}, optionally {@code /p2p}.
     *
     * @throws io.ipdm.mesh.multiaddr.MultiaddrException naming the address and what to use instead
     */
    public static void checkTransport(Multiaddr addr) {
        WebSocketTransport.isWebSocket(addr);
        List<Multiaddr.Part> parts = addr.withoutPeerId().parts();
        io.ipdm.mesh.multiaddr.Protocol host = parts.get(0).protocol();
        if (parts.size() < 2
                || host == io.ipdm.mesh.multiaddr.Protocol.TCP
                || host == io.ipdm.mesh.multiaddr.Protocol.UDP
                || parts.get(1).protocol() != io.ipdm.mesh.multiaddr.Protocol.TCP) {
            throw new io.ipdm.mesh.multiaddr.MultiaddrException(
                    "not a TCP or WebSocket address (want"
                            + " /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/ws]): "
                            + addr);
        }
    }

    public List<Multiaddr> listenAddrs() {
        return List.copyOf(listenAddrs);
    }

    /**
     * Connects to {@code addr} (a TCP or WebSocket multiaddr, with /p2p/ to authenticate the
     * expected peer). Returns the existing connection if that peer is already connected; fails for
     * an address of a transport we do not speak ({@code /wss} included).
     */
    public CompletableFuture<Connection> dial(Multiaddr addr) {
        PeerId expected = addr.peerId();
        boolean ws;
        InetSocketAddress sa;
        try {
            ws = WebSocketTransport.isWebSocket(addr);
            sa = addr.toTcpSocketAddress();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Connection> result = new CompletableFuture<>();
        loop.execute(
                () -> {
                    if (expected != null && connections.containsKey(expected)) {
                        result.complete(connections.get(expected));
                        return;
                    }
                    if (expected != null && expected.equals(peerId())) {
                        result.completeExceptionally(
                                new IllegalArgumentException("cannot dial self: " + addr));
                        return;
                    }
                    if (connections.size() >= config.maxConnections()) {
                        result.completeExceptionally(
                                new IllegalStateException(
                                        "connection limit "
                                                + config.maxConnections()
                                                + " reached; not dialing "
                                                + addr));
                        return;
                    }
                    new Bootstrap()
                            .group(group)
                            .channel(NioSocketChannel.class)
                            .option(ChannelOption.TCP_NODELAY, true)
                            .option(
                                    ChannelOption.CONNECT_TIMEOUT_MILLIS,
                                    (int) config.handshakeTimeout().toMillis())
                            .attr(DIAL, result)
                            .handler(
                                    new ChannelInitializer<SocketChannel>() {
                                        @Override
                                        protected void initChannel(SocketChannel ch) {
                                            initPipeline(ch, true, expected, ws ? addr : null);
                                        }
                                    })
                            .connect(sa)
                            .addListener(
                                    (ChannelFuture cf) -> {
                                        if (!cf.isSuccess()) {
                                            result.completeExceptionally(cf.cause());
                                        }
                                    });
                });
        return result;
    }

    /**
     * Sets up a new channel: the WebSocket handshake first when {@code webSocket} (the address
     * listened on or dialed) is not null, then the one security and muxer upgrade.
     */
    private void initPipeline(
            SocketChannel ch, boolean outbound, PeerId expected, Multiaddr webSocket) {
        if (!outbound && rawChannels >= config.maxConnections()) {
            if (upgradingInbound.isEmpty()) {
                LOG.info(
                        "refusing inbound connection from {}: limit {} reached",
                        ch.remoteAddress(),
                        config.maxConnections());
                ch.close();
                return;
            }
            // Sockets that never finish their handshake (slow-loris) would otherwise hold every
            // slot for handshakeTimeout, again and again, and lock real peers out: the oldest
            // unfinished one makes room, so an attacker must outpace every honest handshake.
            Channel oldest = upgradingInbound.iterator().next();
            upgradingInbound.remove(oldest);
            LOG.info(
                    "closing {} (no handshake yet) to admit {}: limit {} reached",
                    oldest.remoteAddress(),
                    ch.remoteAddress(),
                    config.maxConnections());
            oldest.close();
        }
        rawChannels++;
        if (!outbound) {
            upgradingInbound.add(ch);
        }
        ch.closeFuture().addListener(f -> onClosed(ch));
        Runnable secure =
                () ->
                        ch.pipeline()
                                .addLast(
                                        "secure",
                                        new SecureUpgradeHandler(
                                                outbound,
                                                identity,
                                                noiseStatic,
                                                expected,
                                                config,
                                                upgradeListener));
        if (webSocket == null) {
            secure.run();
        } else if (outbound) {
            WebSocketTransport.client(
                    ch,
                    WebSocketTransport.uri(webSocket),
                    config.webSocket(),
                    config.handshakeTimeout(),
                    secure,
                    upgradeListener);
        } else {
            WebSocketTransport.server(
                    ch, config.webSocket(), config.handshakeTimeout(), secure, upgradeListener);
        }
        ch.eventLoop()
                .schedule(
                        () -> {
                            if (!byChannel.containsKey(ch) && ch.isActive()) {
                                upgradeListener.failed(
                                        ch,
                                        new TimeoutException(
                                                "connection upgrade timed out after "
                                                        + config.handshakeTimeout()));
                                ch.close();
                            }
                        },
                        config.handshakeTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    private final UpgradeListener upgradeListener =
            new UpgradeListener() {
                @Override
                public void upgraded(
                        Channel ch, PeerId remote, boolean outbound, YamuxHandler muxer) {
                    Connection c = new Connection(Host.this, ch, remote, outbound, muxer);
                    byChannel.put(ch, c);
                    upgradingInbound.remove(ch);
                    CompletableFuture<Connection> dial = ch.attr(DIAL).get();
                    Connection existing = connections.get(remote);
                    if (existing != null && existing.isOpen()) {
                        // Simultaneous or repeated dials: both sides must keep the same one,
                        // whichever upgrade finished first here.
                        boolean existingPreferred =
                                rank(existing, peerId(), remote) <= rank(c, peerId(), remote);
                        Connection drop = existingPreferred ? c : existing;
                        Connection keep = existingPreferred ? existing : c;
                        connections.put(remote, keep);
                        if (dial != null) {
                            dial.complete(keep);
                        }
                        if (!existingPreferred) {
                            fireConnected(keep);
                        }
                        drop.channel().eventLoop().execute(drop::close);
                        return;
                    }
                    connections.put(remote, c);
                    if (dial != null) {
                        dial.complete(c);
                    }
                    fireConnected(c);
                }

                @Override
                public void failed(Channel ch, Throwable cause) {
                    LOG.info("connection with {} failed: {}", ch.remoteAddress(), cause.toString());
                    CompletableFuture<Connection> dial = ch.attr(DIAL).get();
                    if (dial != null) {
                        dial.completeExceptionally(cause);
                    }
                }

                @Override
                public void misbehaved(PeerId remote, String why) {
                    for (var h : misbehaviour) {
                        try {
                            h.accept(remote, why);
                        } catch (RuntimeException e) {
                            LOG.warn("misbehaviour hook failed", e);
                        }
                    }
                }

                @Override
                public void acceptStream(Channel ch, YamuxStream stream) {
                    Connection c = byChannel.get(ch);
                    StreamNegotiator.listen(
                            stream,
                            protocols.keySet(),
                            p -> protocols.get(p).onStream(c, stream),
                            config.maxNegotiationBytes());
                }
            };

    /**
     * A rank both ends compute alike for a connection between {@code self} and {@code remote}
     * (lower wins): connections dialed by the smaller peer id first, then by the dialer's port (the
     * dialer's local port is the listener's remote port). Two connections dialed by the same side
     * are thus told apart the same way on both ends, whichever finished its upgrade first.
     */
    static long rank(Connection c, PeerId self, PeerId remote) {
        boolean dialedBySmaller = c.isOutbound() == (self.compareTo(remote) < 0);
        java.net.SocketAddress dialerSide =
                c.isOutbound() ? c.channel().localAddress() : c.channel().remoteAddress();
        int port = dialerSide instanceof java.net.InetSocketAddress a ? a.getPort() : 0xFFFF;
        return (dialedBySmaller ? 0L : 1L << 20) + port;
    }

    private void fireConnected(Connection c) {
        for (ConnectionListener l : listeners) {
            try {
                l.onConnected(c);
            } catch (RuntimeException e) {
                LOG.warn("connection listener failed", e);
            }
        }
    }

    private void onClosed(Channel ch) {
        rawChannels--;
        upgradingInbound.remove(ch);
        Connection c = byChannel.remove(ch);
        CompletableFuture<Connection> dial = ch.attr(DIAL).get();
        if (dial != null && !dial.isDone()) {
            dial.completeExceptionally(
                    new IllegalStateException("connection closed during upgrade"));
        }
        if (c == null) {
            return;
        }
        if (connections.get(c.remotePeer()) == c) {
            connections.remove(c.remotePeer());
            for (ConnectionListener l : listeners) {
                try {
                    l.onDisconnected(c);
                } catch (RuntimeException e) {
                    LOG.warn("connection listener failed", e);
                }
            }
        }
    }

    /** The current connection to {@code peer}, or null. Call on the event loop. */
    public Connection connection(PeerId peer) {
        return connections.get(peer);
    }

    public Collection<Connection> connections() {
        return onLoop(() -> List.copyOf(connections.values())).join();
    }

    /** Runs {@code task} on the event loop. */
    public <T> CompletableFuture<T> onLoop(java.util.function.Supplier<T> task) {
        if (loop.inEventLoop()) {
            try {
                return CompletableFuture.completedFuture(task.get());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.supplyAsync(task, loop);
    }

    @Override
    public void close() {
        for (Channel s : servers) {
            s.close().syncUninterruptibly();
        }
        for (Connection c : connections()) {
            c.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
