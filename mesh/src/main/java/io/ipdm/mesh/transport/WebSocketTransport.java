package io.ipdm.mesh.transport;

import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.multiaddr.MultiaddrException;
import io.ipdm.mesh.multiaddr.Protocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p WebSocket transport (libp2p specs, {@code websockets/README.md}): a TCP connection, an
 * HTTP/1.1 upgrade (RFC 6455 section 4), then binary frames that carry the raw connection bytes, on
 * which multistream-select, Noise and Yamux run exactly as over TCP. Addresses are {@code
 * /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>/ws}.
 *
 * <p>Netty's WebSocket codec does the handshake, framing, masking, ping/pong and close frames; this
 * class only puts it in front of the host's one upgrade pipeline: when the handshake completes,
 * {@code onOpen} installs the security upgrade, and {@link WebSocketFraming} turns frames into
 * bytes and back. Secure WebSockets ({@code /wss}, {@code /tls/ws}) are refused: this node has no
 * TLS.
 */
final class WebSocketTransport {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);

    /** Set on channels that carry WebSocket connections (their multiaddrs end in /ws). */
    static final AttributeKey<Boolean> WEBSOCKET = AttributeKey.valueOf("ipdm.websocket");

    private WebSocketTransport() {}

    /**
     * Whether {@code addr} is a WebSocket address ({@code .../tcp/<port>/ws}); false for a plain
     * TCP one. Secure WebSocket addresses and anything else ending in {@code /ws} are refused with
     * what to use instead.
     */
    static boolean isWebSocket(Multiaddr addr) {
        if (addr.has(Protocol.WSS) || addr.has(Protocol.TLS)) {
            throw new MultiaddrException(
                    "secure WebSockets (/wss, /tls/ws) are not supported: "
                            + addr
                            + "; this node speaks /ws without TLS (put a TLS-terminating proxy in"
                            + " front of a /ws listener for browsers) and /tcp");
        }
        if (!addr.has(Protocol.WS)) {
            return false;
        }
        List<Multiaddr.Part> parts = addr.withoutPeerId().parts();
        if (parts.size() != 3
                || parts.get(1).protocol() != Protocol.TCP
                || parts.get(2).protocol() != Protocol.WS) {
            throw new MultiaddrException(
                    "not a WebSocket address (want /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>/ws): "
                            + addr);
        }
        return true;
    }

    /** The {@code ws://host:port/} URI a dial to {@code addr} requests. */
    static URI uri(Multiaddr addr) {
        Multiaddr.Part host = addr.parts().get(0);
        String h = host.protocol() == Protocol.IP6 ? "[" + host.value() + "]" : host.value();
        return URI.create("ws://" + h + ":" + addr.value(Protocol.TCP) + "/");
    }

    /** The multiaddr of one end of a WebSocket channel: its TCP address with /ws. */
    static Multiaddr multiaddr(SocketAddress a) {
        return Multiaddr.of((InetSocketAddress) a).encapsulate(Protocol.WS);
    }

    /**
     * Installs the server side of the handshake on an accepted channel; {@code onOpen} runs once
     * the upgrade request was answered with 101.
     */
    static void server(
            Channel ch,
            WebSocketConfig cfg,
            Duration timeout,
            Runnable onOpen,
            UpgradeListener listener) {
        WebSocketDecoderConfig frames = frames(cfg, true);
        WebSocketServerProtocolConfig config =
                WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath("/") // any path: js-libp2p requests "/"
                        .checkStartsWith(true)
                        .handshakeTimeoutMillis(timeout.toMillis())
                        .sendCloseFrame(WebSocketCloseStatus.NORMAL_CLOSURE)
                        .handleCloseFrames(true)
                        .dropPongFrames(true)
                        .decoderConfig(frames)
                        .build();
        install(
                ch,
                cfg,
                new HttpServerCodec(
                        initialLineLimit(cfg), cfg.maxHandshakeBytes(), cfg.maxHandshakeBytes()),
                new LoggingServerHandler(config, cfg),
                new WebSocketFraming(cfg, false, onOpen, listener));
    }

    /**
     * Installs the client side of the handshake on a dialing channel: the upgrade request for
     * {@code uri} goes out when the TCP connection is up; {@code onOpen} runs on the 101 answer.
     */
    static void client(
            Channel ch,
            URI uri,
            WebSocketConfig cfg,
            Duration timeout,
            Runnable onOpen,
            UpgradeListener listener) {
        // the client config takes the frame limits one by one: the same ones the server decodes
        // with
        WebSocketDecoderConfig frames = frames(cfg, false);
        WebSocketClientProtocolConfig config =
                WebSocketClientProtocolConfig.newBuilder()
                        .webSocketUri(uri)
                        .version(WebSocketVersion.V13)
                        .allowExtensions(frames.allowExtensions())
                        .maxFramePayloadLength(frames.maxFramePayloadLength())
                        .performMasking(true)
                        .allowMaskMismatch(frames.allowMaskMismatch())
                        .handleCloseFrames(true)
                        .sendCloseFrame(WebSocketCloseStatus.NORMAL_CLOSURE)
                        .dropPongFrames(true)
                        .handshakeTimeoutMillis(timeout.toMillis())
                        .generateOriginHeader(false)
                        .withUTF8Validator(frames.withUTF8Validator())
                        .build();
        install(
                ch,
                cfg,
                new HttpClientCodec(
                        initialLineLimit(cfg), cfg.maxHandshakeBytes(), cfg.maxHandshakeBytes()),
                new WebSocketClientProtocolHandler(config),
                new WebSocketFraming(cfg, true, onOpen, listener));
    }

    /**
     * The frames either side reads: at most {@code cfg.maxFrameBytes()} each, binary (no UTF-8
     * check), no extensions; a listener wants its dialer's frames masked (RFC 6455 section 5.1).
     */
    private static WebSocketDecoderConfig frames(WebSocketConfig cfg, boolean expectMasked) {
        return WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(cfg.maxFrameBytes())
                .expectMaskedFrames(expectMasked)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .withUTF8Validator(false)
                .build();
    }

    private static int initialLineLimit(WebSocketConfig cfg) {
        return Math.min(4096, cfg.maxHandshakeBytes());
    }

    /**
     * The pipeline both ends share: the HTTP handshake (bounded by {@code
     * cfg.maxHandshakeBytes()}), Netty's WebSocket protocol handler, then the binary-frame adapter.
     */
    private static void install(
            Channel ch,
            WebSocketConfig cfg,
            ChannelHandler http,
            ChannelHandler ws,
            WebSocketFraming framing) {
        ch.attr(WEBSOCKET).set(true);
        ch.pipeline()
                .addLast("http", http)
                .addLast("http-aggregator", new HttpObjectAggregator(cfg.maxHandshakeBytes()))
                .addLast("ws", ws)
                .addLast("ws-framing", framing);
    }

    /**
     * Netty answers a bad upgrade request with 400 and closes; this says so in the log with the
     * peer's address and the limit.
     */
    private static final class LoggingServerHandler extends WebSocketServerProtocolHandler {
        private final WebSocketConfig cfg;

        LoggingServerHandler(WebSocketServerProtocolConfig config, WebSocketConfig cfg) {
            super(config);
            this.cfg = cfg;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (cause instanceof WebSocketHandshakeException) {
                LOG.info(
                        "refused WebSocket upgrade request from {} (handshake limit {} bytes): {}",
                        ctx.channel().remoteAddress(),
                        cfg.maxHandshakeBytes(),
                        cause.getMessage());
            }
            super.exceptionCaught(ctx, cause);
        }
    }
}
