package io.ipdm.mesh.transport;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** A secured, multiplexed connection to one authenticated peer. */
public final class Connection {
    private final Host host;
    private final Channel channel;
    private final PeerId remotePeer;
    private final boolean outbound;
    private final YamuxHandler muxer;
    private final Multiaddr remoteAddress;

    Connection(
            Host host, Channel channel, PeerId remotePeer, boolean outbound, YamuxHandler muxer) {
        this.host = host;
        this.channel = channel;
        this.remotePeer = remotePeer;
        this.outbound = outbound;
        this.muxer = muxer;
        this.remoteAddress = address(channel.remoteAddress());
    }

    public PeerId remotePeer() {
        return remotePeer;
    }

    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    /** Our end of the connection (the dialer's port tells two connections apart). */
    public Multiaddr localAddress() {
        return address(channel.localAddress());
    }

    /** Whether the connection runs over WebSockets (its addresses end in /ws). */
    public boolean isWebSocket() {
        return Boolean.TRUE.equals(channel.attr(WebSocketTransport.WEBSOCKET).get());
    }

    private Multiaddr address(java.net.SocketAddress a) {
        return isWebSocket()
                ? WebSocketTransport.multiaddr(a)
                : Multiaddr.of((InetSocketAddress) a);
    }

    public boolean isOutbound() {
        return outbound;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public Host host() {
        return host;
    }

    YamuxHandler muxer() {
        return muxer;
    }

    Channel channel() {
        return channel;
    }

    /**
     * Opens a stream and negotiates {@code protocol} on it; {@code handler} receives its data
     * afterwards. Fails if the peer does not speak the protocol.
     */
    public CompletableFuture<YamuxStream> newStream(String protocol, StreamHandler handler) {
        CompletableFuture<YamuxStream> f = new CompletableFuture<>();
        channel.eventLoop()
                .execute(
                        () -> {
                            try {
                                YamuxStream s = muxer.openStream(null);
                                StreamNegotiator.dial(
                                                s,
                                                protocol,
                                                handler,
                                                host.config().maxNegotiationBytes())
                                        .whenComplete(
                                                (v, e) -> {
                                                    if (e != null) {
                                                        f.completeExceptionally(e);
                                                    } else {
                                                        f.complete(v);
                                                    }
                                                });
                            } catch (RuntimeException e) {
                                f.completeExceptionally(e);
                            }
                        });
        return f;
    }

    /** Closes with a Yamux GoAway. */
    public void close() {
        muxer.goAway();
    }

    @Override
    public String toString() {
        return (outbound ? "outbound" : "inbound")
                + " connection to "
                + remotePeer
                + " at "
                + remoteAddress;
    }
}
