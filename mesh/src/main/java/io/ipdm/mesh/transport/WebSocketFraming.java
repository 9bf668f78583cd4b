package io.ipdm.mesh.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.ServerHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Between Netty's WebSocket codec and the libp2p upgrade: inbound binary frames (and their
 * continuations) become plain bytes for the handlers above, outbound bytes become binary frames of
 * at most {@link WebSocketConfig#maxFrameBytes()} each. A message may be split over any number of
 * frames and frames over messages: the bytes are one stream, as over TCP.
 *
 * <pre>
 *   TCP | HTTP upgrade (101) | frame(binary, bytes...) frame(continuation, bytes...) ...
 *                                     \_____ connection bytes: /multistream/1.0.0, /noise, ... __/
 * </pre>
 *
 * <p>Text frames, a message over {@link WebSocketConfig#maxMessageBytes()}, an oversized or
 * malformed frame and a failed handshake end the connection with a {@link WebSocketException}
 * naming the peer and the limit. {@code onOpen} (the upgrade above) runs when the client side's
 * handshake completes, and on the server side at the dialer's first bytes: the dialer speaks first
 * (multistream-select), and a browser or js-libp2p dialer would miss a message sent before it
 * attached its listener. Bytes that arrive before {@code onOpen} are held and passed on after it.
 */
final class WebSocketFraming extends ChannelDuplexHandler {
    private final WebSocketConfig config;
    private final boolean client;
    private final Runnable onOpen;
    private final UpgradeListener listener;
    private final Queue<ByteBuf> early = new ArrayDeque<>();
    private boolean open;
    private boolean handshakeDone;
    private boolean failed;
    private long messageBytes;
    private String peer;

    WebSocketFraming(
            WebSocketConfig config, boolean client, Runnable onOpen, UpgradeListener listener) {
        this.config = config;
        this.client = client;
        this.onOpen = onOpen;
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        peer(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            open(ctx);
            return;
        }
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            // The listener waits for the dialer's first bytes before it sends its own
            // (multistream header): a browser or js-libp2p dialer attaches its message listener
            // only after the 'open' event, and a message that arrives in between is lost.
            handshakeDone = true;
            if (!early.isEmpty()) {
                open(ctx);
            }
            return;
        }
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT
                || evt == ServerHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail(
                    ctx,
                    new WebSocketException(
                            "WebSocket handshake with " + peer(ctx) + " timed out", null));
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        peer(ctx);
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (failed) {
            frame.release();
            return;
        }
        if (frame instanceof BinaryWebSocketFrame) {
            messageBytes = 0;
        } else if (!(frame instanceof ContinuationWebSocketFrame)) {
            // ping, pong and close are answered below us; only text is left
            frame.release();
            fail(
                    ctx,
                    new WebSocketException(
                            "WebSocket peer "
                                    + peer(ctx)
                                    + " sent a "
                                    + frame.getClass().getSimpleName()
                                    + "; libp2p over WebSockets uses binary frames only",
                            null));
            return;
        }
        messageBytes += frame.content().readableBytes();
        if (messageBytes > config.maxMessageBytes()) {
            frame.release();
            fail(
                    ctx,
                    new WebSocketException(
                            "WebSocket message from "
                                    + peer(ctx)
                                    + " is longer than the limit of "
                                    + config.maxMessageBytes()
                                    + " bytes (maxMessageBytes)",
                            null));
            return;
        }
        ByteBuf bytes = frame.content();
        if (!bytes.isReadable()) {
            frame.release();
        } else if (open) {
            ctx.fireChannelRead(bytes);
        } else {
            early.add(bytes);
            if (handshakeDone) {
                open(ctx);
            }
        }
    }

    /** Installs the upgrade above (onOpen) and hands it the bytes held so far. */
    private void open(ChannelHandlerContext ctx) {
        open = true;
        onOpen.run();
        while (!early.isEmpty()) {
            ctx.fireChannelRead(early.poll());
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        int max = config.maxFrameBytes();
        if (buf.readableBytes() <= max) {
            ctx.write(new BinaryWebSocketFrame(buf), promise);
            return;
        }
        PromiseCombiner all = new PromiseCombiner(ctx.executor());
        while (buf.readableBytes() > max) {
            all.add(ctx.write(new BinaryWebSocketFrame(buf.readRetainedSlice(max))));
        }
        all.add(ctx.write(new BinaryWebSocketFrame(buf)));
        all.finish(promise);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Netty's frame decoder has already sent a close frame with the status (1002, 1009) and
        // closes after it; closing here too would send a second close frame.
        fail(ctx, explain(ctx, cause), !(cause instanceof CorruptedWebSocketFrameException));
    }

    private WebSocketException explain(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof WebSocketException w) {
            return w;
        }
        String detail = cause.getMessage();
        if (cause instanceof CorruptedWebSocketFrameException
                && detail != null
                && detail.startsWith("Max frame length")) {
            return new WebSocketException(
                    "WebSocket frame from "
                            + peer(ctx)
                            + " is larger than the limit of "
                            + config.maxFrameBytes()
                            + " bytes (maxFrameBytes); closed with status 1009",
                    cause);
        }
        if (cause instanceof CorruptedWebSocketFrameException) {
            return new WebSocketException(
                    "malformed WebSocket frame from " + peer(ctx) + ": " + detail, cause);
        }
        if (!open
                && (cause instanceof TooLongFrameException
                        || cause.getCause() instanceof TooLongFrameException)) {
            return new WebSocketException(
                    "WebSocket handshake with "
                            + peer(ctx)
                            + " failed: the HTTP "
                            + (client ? "response" : "request")
                            + " is longer than the limit of "
                            + config.maxHandshakeBytes()
                            + " bytes (maxHandshakeBytes)",
                    cause);
        }
        if (!open || cause instanceof WebSocketHandshakeException) {
            return new WebSocketException(
                    "WebSocket handshake with "
                            + peer(ctx)
                            + " failed: "
                            + detail
                            + " (is it a libp2p WebSocket listener? handshake limit "
                            + config.maxHandshakeBytes()
                            + " bytes)",
                    cause);
        }
        return new WebSocketException(
                "WebSocket connection with " + peer(ctx) + " failed: " + cause, cause);
    }

    private void fail(ChannelHandlerContext ctx, WebSocketException e) {
        fail(ctx, e, true);
    }

    private void fail(ChannelHandlerContext ctx, WebSocketException e, boolean close) {
        if (failed) {
            return;
        }
        failed = true;
        while (!early.isEmpty()) {
            early.poll().release();
        }
        listener.failed(ctx.channel(), e);
        if (close) {
            ctx.close();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        while (!early.isEmpty()) {
            early.poll().release();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        peer(ctx);
        super.channelActive(ctx);
    }

    /** The peer's address, kept while the channel has one (a closed channel may not). */
    private String peer(ChannelHandlerContext ctx) {
        if (peer == null) {
            java.net.SocketAddress a = ctx.channel().remoteAddress();
            if (a instanceof java.net.InetSocketAddress) {
                peer = WebSocketTransport.multiaddr(a).toString();
            } else if (a != null) {
                peer = a.toString();
            }
        }
        return peer == null ? "an unknown address" : peer;
    }
}
