package io.ipdm.mesh.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;

/**
 * One Yamux stream. All methods must run on the session's event loop; {@link #write}, {@link
 * #closeWrite}, {@link #reset}, {@link #pause}, {@link #resume}, {@link #hold} and {@link #release}
 * hop onto it when called elsewhere.
 *
 * <p>Flow control (yamux spec, "Flow Control"): the peer may send as many bytes as the receive
 * window we gave it, and we give window back only for bytes our consumer has consumed. Bytes count
 * as consumed when {@link StreamHandler#onData} returns, except those the handler {@linkplain #hold
 * holds} for later work (a queue, an executor) until it {@linkplain #release releases} them. While
 * the stream is {@linkplain #pause paused}, arriving data waits here undelivered (at most one
 * window of it, since none is returned) and the peer's FIN is delivered after it. Both kinds of
 * unconsumed bytes count against the session's receive budget ({@link YamuxConfig#maxUnconsumed}).
 * Window goes back in steps of half the initial window, as the spec suggests, so a peer that keeps
 * its consumer busy never has more than a window (plus the message being assembled when a hold was
 * taken) outstanding here.
 */
public final class YamuxStream {
    private final YamuxHandler session;
    private final int id;
    private StreamHandler handler;
    private long sendWindow;
    private long recvWindow;
    private long consumedSinceUpdate;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private long pendingBytes;
    // received while paused, not yet delivered
    private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
    private long inboundBytes;
    private long held;
    private boolean paused;
    private boolean delivering;
    private boolean finPending;
    private boolean localClosed;
    private boolean remoteClosed;
    private boolean reset;
    private boolean needSyn;
    private boolean needAck;
    private Object attachment;

    YamuxStream(YamuxHandler session, int id, int initialWindow, boolean outbound) {
        this.session = session;
        this.id = id;
        this.sendWindow = YamuxConfig.DEFAULT_WINDOW;
        this.recvWindow = initialWindow;
        this.needSyn = outbound;
        this.needAck = !outbound;
    }

    public int id() {
        return id;
    }

    public YamuxHandler session() {
        return session;
    }

    public void setHandler(StreamHandler handler) {
        this.handler = handler;
    }

    public StreamHandler handler() {
        return handler;
    }

    /** A slot for the protocol using the stream. */
    public Object attachment() {
        return attachment;
    }

    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    public boolean isOpen() {
        return !reset && !localClosed;
    }

    /** Whether the stream was reset (by either side, or its session closed). */
    public boolean isReset() {
        return reset;
    }

    /**
     * Bytes written but not sent yet, waiting for the peer's window: how far behind the peer's
     * reading is. Call on the event loop.
     */
    public long queuedBytes() {
        return pendingBytes;
    }

    /**
     * Stops delivering data (and so returning window) until {@link #resume}: for a consumer whose
     * queue is full. The peer can send at most the window it already has.
     */
    public void pause() {
        if (!session.inEventLoop()) {
            session.execute(this::pause);
            return;
        }
        paused = true;
    }

    /** Delivers what arrived while paused, then returns window again as data is consumed. */
    public void resume() {
        if (!session.inEventLoop()) {
            session.execute(this::resume);
            return;
        }
        paused = false;
        drain();
    }

    /** Whether {@link #pause} is in force. Call on the event loop. */
    public boolean isPaused() {
        return paused;
    }

    /**
     * Counts {@code bytes} of delivered data as not yet consumed: the handler handed them to other
     * work (a queue, an executor). No window is returned for them until they are {@linkplain
     * #release released}, and they count against the session's receive budget. Every hold must be
     * matched by a release of the same amount.
     */
    public void hold(long bytes) {
        if (!session.inEventLoop()) {
            session.execute(() -> hold(bytes));
            return;
        }
        if (reset) {
            return;
        }
        held += bytes;
        consumedSinceUpdate -= bytes;
        session.unconsumed(this, bytes, true);
    }

    /** The work for {@code bytes} held bytes is done; call from any thread. */
    public void release(long bytes) {
        if (!session.inEventLoop()) {
            session.execute(() -> release(bytes));
            return;
        }
        if (reset) {
            return; // onReset already gave the held bytes back to the session
        }
        held -= bytes;
        session.consumed(bytes);
        consumedSinceUpdate += bytes;
        returnWindow();
    }

    /**
     * Holds {@code bytes} until {@code work} has run, wherever it runs: for a handler that hands a
     * message to an executor ({@code executor.execute(stream.holdUntilDone(m.length, () -> ...))}).
     */
    public Runnable holdUntilDone(long bytes, Runnable work) {
        hold(bytes);
        return () -> {
            try {
                work.run();
            } finally {
                release(bytes);
            }
        };
    }

    /**
     * Bytes received on this stream and not consumed yet: waiting undelivered plus held by the
     * handler. Call on the event loop.
     */
    public long unconsumedBytes() {
        return inboundBytes + held;
    }

    public void write(byte[] data) {
        write(Unpooled.wrappedBuffer(data));
    }

    /** Queues {@code data} (taking ownership) and sends as much as the peer's window allows. */
    public void write(ByteBuf data) {
        if (!session.inEventLoop()) {
            session.execute(() -> write(data));
            return;
        }
        if (reset || localClosed) {
            data.release();
            return;
        }
        pendingBytes += data.readableBytes();
        pending.add(data);
        if (pendingBytes > session.config().maxPendingWrite()) {
            session.streamOverflow(this);
            return;
        }
        flushPending();
    }

    /** Pushes written data to the socket at once (see {@link YamuxHandler#flushNow}). */
    public void flushNow() {
        if (session.inEventLoop()) {
            session.flushNow();
        } else {
            session.execute(session::flushNow);
        }
    }

    /** Half-closes: sends FIN once queued data is out. */
    public void closeWrite() {
        if (!session.inEventLoop()) {
            session.execute(this::closeWrite);
            return;
        }
        if (reset || localClosed) {
            return;
        }
        localClosed = true;
        if (pending.isEmpty()) {
            session.sendWindowUpdate(this, takeFlags() | YamuxFrame.FLAG_FIN, 0);
            maybeRemove();
        }
    }

    /** Aborts the stream with RST. */
    public void reset() {
        if (!session.inEventLoop()) {
            session.execute(this::reset);
            return;
        }
        if (reset) {
            return;
        }
        session.sendWindowUpdate(this, takeFlags() | YamuxFrame.FLAG_RST, 0);
        onReset();
    }

    // --- session side ---

    int takeFlags() {
        int f = 0;
        if (needSyn) {
            f |= YamuxFrame.FLAG_SYN;
            needSyn = false;
        }
        if (needAck) {
            f |= YamuxFrame.FLAG_ACK;
            needAck = false;
        }
        return f;
    }

    void flushPending() {
        while (!pending.isEmpty() && sendWindow > 0 && !reset) {
            ByteBuf head = pending.peek();
            int n =
                    (int)
                            Math.min(
                                    Math.min(head.readableBytes(), sendWindow),
                                    session.config().maxFrameData());
            ByteBuf chunk = head.readRetainedSlice(n);
            if (!head.isReadable()) {
                pending.poll().release();
            }
            pendingBytes -= n;
            sendWindow -= n;
            session.sendData(this, takeFlags(), chunk);
        }
        if (pending.isEmpty() && localClosed && !reset) {
            session.sendWindowUpdate(this, takeFlags() | YamuxFrame.FLAG_FIN, 0);
            maybeRemove();
        }
    }

    void addSendWindow(long delta) {
        sendWindow += delta;
        flushPending();
    }

    /** Receive window left: how many more bytes the peer may send before we return window. */
    long recvWindow() {
        return recvWindow;
    }

    /** Called with a data payload; returns false if it exceeds the receive window. */
    boolean receive(ByteBuf data) {
        int n = data.readableBytes();
        if (n > recvWindow) {
            return false;
        }
        recvWindow -= n;
        if (remoteClosed || reset || n == 0) {
            return true; // data after FIN is dropped
        }
        if (!deliverable() || !inbound.isEmpty() || delivering) {
            inbound.add(session.copy(data));
            inboundBytes += n;
            session.unconsumed(this, n, false);
            return true;
        }
        deliver(data, n);
        return true;
    }

    private boolean deliverable() {
        return !paused && !reset;
    }

    private void deliver(ByteBuf data, int n) {
        if (handler != null) {
            handler.onData(this, data);
        }
        consumedSinceUpdate += n;
        returnWindow();
    }

    /** Sends a window update once half the initial window has been consumed. */
    private void returnWindow() {
        long max = session.config().initialWindow();
        if (consumedSinceUpdate >= max / 2 && !reset && !remoteClosed) {
            recvWindow += consumedSinceUpdate;
            session.sendWindowUpdate(this, takeFlags(), consumedSinceUpdate);
            consumedSinceUpdate = 0;
        }
    }

    /** Delivers queued data while the consumer takes it, then a FIN that waited behind it. */
    private void drain() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            while (!inbound.isEmpty() && deliverable()) {
                ByteBuf b = inbound.poll();
                int n = b.readableBytes();
                inboundBytes -= n;
                session.consumed(n);
                try {
                    deliver(b, n);
                } finally {
                    b.release();
                }
            }
        } finally {
            delivering = false;
        }
        if (finPending && inbound.isEmpty() && !reset) {
            finPending = false;
            if (handler != null) {
                handler.onRemoteClose(this);
            }
            maybeRemove();
        }
    }

    void onRemoteFin() {
        if (remoteClosed) {
            return;
        }
        remoteClosed = true;
        if (!inbound.isEmpty()) {
            finPending = true; // after the data waiting before it
            return;
        }
        if (handler != null) {
            handler.onRemoteClose(this);
        }
        maybeRemove();
    }

    void onReset() {
        if (reset) {
            return;
        }
        reset = true;
        for (ByteBuf b : pending) {
            b.release();
        }
        pending.clear();
        pendingBytes = 0;
        for (ByteBuf b : inbound) {
            b.release();
        }
        inbound.clear();
        session.consumed(inboundBytes + held);
        inboundBytes = 0;
        held = 0;
        finPending = false;
        session.remove(this);
        if (handler != null) {
            handler.onReset(this);
        }
    }

    private void maybeRemove() {
        if (localClosed && remoteClosed && pending.isEmpty() && !finPending) {
            session.remove(this);
        }
    }

    @Override
    public String toString() {
        return "YamuxStream(" + id + ")";
    }
}
