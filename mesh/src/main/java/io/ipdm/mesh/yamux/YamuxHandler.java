package io.ipdm.mesh.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Yamux session (libp2p yamux spec) as a Netty decoder: a state machine reading a 12-byte header,
 * then for data frames exactly {@code length} payload bytes, never more than the stream's receive
 * window. Protocol violations end the session with GoAway(protocol error) and a close, with the
 * reason logged.
 *
 * <p>Flow control (see {@link YamuxStream}): window is returned as consumers consume, and the
 * session keeps a receive budget, {@link YamuxConfig#maxUnconsumed}, over all its streams'
 * unconsumed bytes. At half of it the session stops reading from the socket (Netty autoRead off, so
 * TCP holds the peer back), at a quarter it reads again; a paused stream whose waiting data takes
 * the total past the budget is reset, and the peer is logged and reported as misbehaving. Bytes a
 * handler {@linkplain YamuxStream#hold holds} count too, but only stop reading.
 *
 * <p>Threading: everything runs on the channel's event loop.
 */
public final class YamuxHandler extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(YamuxHandler.class);

    private final boolean client;
    private final YamuxConfig config;
    private final Consumer<YamuxStream> acceptor;
    private final String peer;
    private final Consumer<String> misbehaved;
    private final Map<Integer, YamuxStream> streams = new HashMap<>();
    private ChannelHandlerContext ctx;
    private int nextId;
    private boolean goAwayReceived;
    private boolean closed;
    private String closeReason;
    private long unconsumed;
    private boolean readPaused;

    // decoder state
    private boolean haveHeader;
    private int type;
    private int flags;
    private int streamId;
    private long length;

    /**
     * @param client true on the dialing side (odd stream ids), false on the listening side (even
     *     ids)
     * @param acceptor called with each inbound stream; it must set a handler
     */
    public YamuxHandler(boolean client, YamuxConfig config, Consumer<YamuxStream> acceptor) {
        this(client, config, acceptor, "unidentified peer", why -> {});
    }

    /**
     * @param peer names the peer in logs and errors
     * @param misbehaved told why, when the peer broke the protocol or overran the receive budget
     */
    public YamuxHandler(
            boolean client,
            YamuxConfig config,
            Consumer<YamuxStream> acceptor,
            String peer,
            Consumer<String> misbehaved) {
        this.client = client;
        this.config = config;
        this.acceptor = acceptor;
        this.peer = peer;
        this.misbehaved = misbehaved;
        this.nextId = client ? 1 : 2;
    }

    public YamuxConfig config() {
        return config;
    }

    boolean inEventLoop() {
        return ctx != null && ctx.executor().inEventLoop();
    }

    void execute(Runnable r) {
        ctx.executor().execute(r);
    }

    public int streamCount() {
        return streams.size();
    }

    /** Bytes received on this session's streams and not consumed yet. Call on the event loop. */
    public long unconsumedBytes() {
        return unconsumed;
    }

    /** Why the session ended, or null while it is open. */
    public String closeReason() {
        return closeReason;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Opens an outbound stream (SYN is sent immediately). Must run on the event loop. */
    public YamuxStream openStream(StreamHandler handler) {
        if (closed || goAwayReceived) {
            throw new YamuxException(
                    "yamux session is closed" + (closeReason == null ? "" : ": " + closeReason));
        }
        if (streams.size() >= config.maxStreams()) {
            throw new YamuxException(
                    "too many open yamux streams (limit " + config.maxStreams() + ")");
        }
        int id = nextId;
        nextId += 2;
        YamuxStream s = new YamuxStream(this, id, config.initialWindow(), true);
        s.setHandler(handler);
        streams.put(id, s);
        sendWindowUpdate(s, s.takeFlags(), config.initialWindow() - YamuxConfig.DEFAULT_WINDOW);
        return s;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!closed) {
            if (!haveHeader) {
                if (in.readableBytes() < YamuxFrame.HEADER_LENGTH) {
                    return;
                }
                int version = in.readUnsignedByte();
                type = in.readUnsignedByte();
                flags = in.readUnsignedShort();
                streamId = in.readInt();
                length = in.readUnsignedInt();
                if (version != YamuxFrame.VERSION) {
                    protocolError("unsupported yamux version " + version);
                    return;
                }
                if (type > YamuxFrame.TYPE_GO_AWAY) {
                    protocolError("unknown yamux frame type " + type);
                    return;
                }
                if (type == YamuxFrame.TYPE_DATA && length > config.initialWindow()) {
                    protocolError(
                            "yamux data frame of "
                                    + length
                                    + " bytes exceeds the receive window of "
                                    + config.initialWindow());
                    return;
                }
                haveHeader = true;
            }
            if (type == YamuxFrame.TYPE_DATA) {
                if (in.readableBytes() < length) {
                    return;
                }
                ByteBuf payload = in.readSlice((int) length);
                haveHeader = false;
                onData(payload);
            } else {
                haveHeader = false;
                switch (type) {
                    case YamuxFrame.TYPE_WINDOW_UPDATE -> onWindowUpdate();
                    case YamuxFrame.TYPE_PING -> onPing();
                    default -> onGoAway();
                }
            }
        }
        in.skipBytes(in.readableBytes());
    }

    private YamuxStream streamFor() {
        if ((flags & YamuxFrame.FLAG_SYN) != 0) {
            if (streamId == 0 || (streamId % 2 == 1) == client) {
                protocolError("peer opened stream " + streamId + " with our parity");
                return null;
            }
            if (streams.containsKey(streamId)) {
                protocolError("peer opened stream " + streamId + " twice");
                return null;
            }
            if (streams.size() >= config.maxStreams() || goAwayReceived) {
                // Refuse, but keep the session.
                ctx.writeAndFlush(
                        YamuxFrame.header(
                                ctx.alloc(),
                                YamuxFrame.TYPE_WINDOW_UPDATE,
                                YamuxFrame.FLAG_RST,
                                streamId,
                                0,
                                0));
                return null;
            }
            YamuxStream s = new YamuxStream(this, streamId, config.initialWindow(), false);
            streams.put(streamId, s);
            sendWindowUpdate(s, s.takeFlags(), config.initialWindow() - YamuxConfig.DEFAULT_WINDOW);
            acceptor.accept(s);
            return s;
        }
        // Frames for streams we already closed and forgot are dropped: they may be in flight.
        return streams.get(streamId);
    }

    private void onData(ByteBuf payload) {
        YamuxStream s = streamFor();
        if (s == null) {
            return;
        }
        long window = s.recvWindow();
        if (!s.receive(payload)) {
            protocolError(
                    "yamux stream "
                            + streamId
                            + " sent "
                            + length
                            + " bytes with "
                            + window
                            + " left in the receive window it was given");
            return;
        }
        applyCloseFlags(s);
    }

    private void onWindowUpdate() {
        YamuxStream s = streamFor();
        if (s == null) {
            return;
        }
        if (length > 0) {
            s.addSendWindow(length);
        }
        applyCloseFlags(s);
    }

    private void applyCloseFlags(YamuxStream s) {
        if ((flags & YamuxFrame.FLAG_RST) != 0) {
            s.onReset();
        } else if ((flags & YamuxFrame.FLAG_FIN) != 0) {
            s.onRemoteFin();
        }
    }

    private void onPing() {
        if (streamId != 0) {
            protocolError("yamux ping on stream " + streamId + " (must be 0)");
            return;
        }
        if ((flags & YamuxFrame.FLAG_SYN) != 0) {
            ctx.writeAndFlush(
                    YamuxFrame.header(
                            ctx.alloc(), YamuxFrame.TYPE_PING, YamuxFrame.FLAG_ACK, 0, length, 0));
        }
    }

    private void onGoAway() {
        goAwayReceived = true;
        if (length != YamuxFrame.GO_AWAY_NORMAL) {
            LOG.debug("peer sent yamux GoAway with error code {}", length);
        }
    }

    private void protocolError(String reason) {
        LOG.info(
                "closing yamux session with {} at {} (protocol error): {}",
                peer,
                ctx.channel().remoteAddress(),
                reason);
        misbehaved.accept("yamux protocol error: " + reason);
        closeReason = reason;
        closed = true;
        ctx.writeAndFlush(
                        YamuxFrame.header(
                                ctx.alloc(),
                                YamuxFrame.TYPE_GO_AWAY,
                                0,
                                0,
                                YamuxFrame.GO_AWAY_PROTOCOL_ERROR,
                                0))
                .addListener(f -> ctx.close());
    }

    /** Sends a normal GoAway and closes the connection. */
    public void goAway() {
        if (!inEventLoop()) {
            execute(this::goAway);
            return;
        }
        if (closed) {
            return;
        }
        closed = true;
        closeReason = "closed locally";
        ctx.writeAndFlush(
                        YamuxFrame.header(
                                ctx.alloc(),
                                YamuxFrame.TYPE_GO_AWAY,
                                0,
                                0,
                                YamuxFrame.GO_AWAY_NORMAL,
                                0))
                .addListener(f -> ctx.close());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (readPaused) {
            // ByteToMessageDecoder asks for another read when a decode produced no message and
            // autoRead is off; a session never produces messages, and stays unread until its
            // consumers catch up.
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
            return;
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        if (closeReason == null) {
            closeReason = "connection closed";
        }
        for (YamuxStream s : new ArrayList<>(streams.values())) {
            s.onReset();
        }
        super.channelInactive(ctx);
    }

    // --- stream side ---

    void sendData(YamuxStream s, int flags, ByteBuf chunk) {
        ByteBuf h =
                YamuxFrame.header(
                        ctx.alloc(), YamuxFrame.TYPE_DATA, flags, s.id(), chunk.readableBytes(), 0);
        // One buffer per frame, so the secure channel seals header and payload together.
        ctx.writeAndFlush(ctx.alloc().compositeBuffer(2).addComponents(true, h, chunk));
    }

    /**
     * Flushes now, past any flush consolidation below: for small control messages whose value is
     * arriving before the data that follows them (gossipsub IDONTWANT).
     */
    void flushNow() {
        if (closed) {
            return;
        }
        ChannelHandlerContext below =
                ctx.pipeline().context(io.netty.handler.flush.FlushConsolidationHandler.class);
        (below != null ? below : ctx).flush();
    }

    void sendWindowUpdate(YamuxStream s, int flags, long delta) {
        if (closed) {
            return;
        }
        ctx.writeAndFlush(
                YamuxFrame.header(
                        ctx.alloc(), YamuxFrame.TYPE_WINDOW_UPDATE, flags, s.id(), delta, 0));
    }

    void streamOverflow(YamuxStream s) {
        LOG.info(
                "resetting yamux stream {}: more than {} bytes queued for a slow peer",
                s.id(),
                config.maxPendingWrite());
        s.reset();
    }

    ByteBuf copy(ByteBuf data) {
        return ctx.alloc().buffer(data.readableBytes()).writeBytes(data);
    }

    /**
     * {@code n} more bytes of {@code s} are unconsumed. {@code held}: a handler holds them for its
     * own work; they are counted (and stop reading at half the budget) but never reset the stream,
     * since the peer sent them within its window and resetting would free nothing. Bytes waiting in
     * a paused stream are freed by its reset, which is the budget's hard edge.
     */
    void unconsumed(YamuxStream s, long n, boolean held) {
        unconsumed += n;
        if (!held && unconsumed > config.maxUnconsumed()) {
            String why =
                    "sent "
                            + unconsumed
                            + " bytes not yet consumed over its yamux streams, past the"
                            + " connection's receive budget of "
                            + config.maxUnconsumed()
                            + " bytes (YamuxConfig.maxUnconsumed); stream "
                            + s.id()
                            + " with "
                            + s.unconsumedBytes()
                            + " of them is reset";
            LOG.warn("peer {} at {} {}", peer, ctx.channel().remoteAddress(), why);
            misbehaved.accept(why);
            s.reset();
            return;
        }
        if (!readPaused && unconsumed >= config.readPauseAt() && !closed) {
            readPaused = true;
            ctx.channel().config().setAutoRead(false);
            LOG.debug("yamux: stopped reading from {}: {} bytes unconsumed", peer, unconsumed);
        }
    }

    /** {@code n} unconsumed bytes were consumed (or dropped with their stream). */
    void consumed(long n) {
        unconsumed -= n;
        if (readPaused && unconsumed <= config.readResumeAt()) {
            readPaused = false;
            ctx.channel().config().setAutoRead(true);
            LOG.debug("yamux: reading from {} again: {} bytes unconsumed", peer, unconsumed);
        }
    }

    /** Whether the session stopped reading from the socket for its receive budget. */
    public boolean readPaused() {
        return readPaused;
    }

    void remove(YamuxStream s) {
        streams.remove(s.id());
    }
}
