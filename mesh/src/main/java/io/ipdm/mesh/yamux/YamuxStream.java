package io.ipdm.mesh.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;

/**
 * One Yamux stream. All methods must run on the session's event loop; {@link #write}, {@link
 * #closeWrite} and {@link #reset} hop onto it when called elsewhere.
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

    /** Called with a data payload; returns false if it exceeds the receive window. */
    boolean receive(ByteBuf data) {
        int n = data.readableBytes();
        if (n > recvWindow) {
            return false;
        }
        recvWindow -= n;
        if (remoteClosed || reset) {
            return true; // data after FIN is dropped
        }
        if (handler != null && n > 0) {
            handler.onData(this, data);
        }
        // Data is consumed synchronously, so the window is returned as soon as half of it is used.
        consumedSinceUpdate += n;
        long max = session.config().initialWindow();
        if (consumedSinceUpdate >= max / 2 && !reset) {
            recvWindow += consumedSinceUpdate;
            session.sendWindowUpdate(this, takeFlags(), consumedSinceUpdate);
            consumedSinceUpdate = 0;
        }
        return true;
    }

    void onRemoteFin() {
        if (remoteClosed) {
            return;
        }
        remoteClosed = true;
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
        session.remove(this);
        if (handler != null) {
            handler.onReset(this);
        }
    }

    private void maybeRemove() {
        if (localClosed && remoteClosed && pending.isEmpty()) {
            session.remove(this);
        }
    }

    @Override
    public String toString() {
        return "YamuxStream(" + id + ")";
    }
}
