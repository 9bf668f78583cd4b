package io.ipdm.lakes.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed answer (routing's NDJSON) on its connection, with backpressure: the lookup hands
 * lines from any thread to {@link #offer}; a line is written only while the channel is writable
 * (below Netty's write-buffer high-water mark) and held otherwise, and the held lines are written
 * when the channel becomes writable again ({@code channelWritabilityChanged}, seen by a handler
 * this stream adds to the pipeline for its duration). At most {@link #MAX_HELD_BYTES} are held: a
 * line found while that much waits for a slow reader is dropped (the answer ends with the lines
 * held; dropped ones are counted and logged), so a slow client costs a bounded buffer, not the
 * whole lookup's output, and never blocks the lookup's threads or a gateway worker.
 *
 * <p>The status line and headers go out with the first line; after {@link #end} the last chunk
 * follows the held lines. When nothing was offered, the lookup's own answer (404, 429, 502) is
 * handed to {@code whole} instead. Thread-safe.
 */
final class RoutingV1Stream {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingV1Stream.class);

    /** Bytes of lines held for a client that reads slower than the lookup finds. */
    static final int MAX_HELD_BYTES = 256 << 10;

    private static final String HANDLER = "routing-v1-stream";

    private final Channel ch;
    private final Responder.Reply reply;
    private final Consumer<Responder.Reply> whole;
    private final Consumer<ChannelFuture> last;
    private final Deque<byte[]> held = new ArrayDeque<>();
    private int heldBytes;
    private boolean started;
    private boolean ended;
    private boolean finished;
    private long dropped;
    private Responder.Reply instead;

    /**
     * @param reply the status and headers of the stream
     * @param whole sends the answer to give when nothing was streamed
     * @param last takes the write of the last chunk (to close or read the next request)
     */
    RoutingV1Stream(
            Channel ch,
            Responder.Reply reply,
            Consumer<Responder.Reply> whole,
            Consumer<ChannelFuture> last) {
        this.ch = ch;
        this.reply = reply;
        this.whole = whole;
        this.last = last;
        ch.pipeline()
                .addLast(
                        HANDLER,
                        new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                                if (ctx.channel().isWritable()) {
                                    drain();
                                }
                                ctx.fireChannelWritabilityChanged();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                drain(); // let go of the held lines
                                ctx.fireChannelInactive();
                            }
                        });
    }

    /** A line from the lookup (any thread): written now if the channel takes it, else held. */
    void offer(byte[] line) {
        synchronized (this) {
            if (ended) {
                return;
            }
            if (!held.isEmpty() && heldBytes + line.length > MAX_HELD_BYTES) {
                dropped++;
                return;
            }
            held.add(line);
            heldBytes += line.length;
        }
        drain();
    }

    /** The lookup is over; {@code instead}: its answer when it streamed nothing. */
    void end(Responder.Reply instead) {
        synchronized (this) {
            ended = true;
            this.instead = instead;
        }
        drain();
    }

    /** Lines held now (for tests). */
    synchronized int heldLines() {
        return held.size();
    }

    /** Writes what the channel takes; after the end and the last held line, finishes. */
    private void drain() {
        Runnable then = null;
        synchronized (this) {
            if (finished) {
                return;
            }
            if (!ch.isActive()) {
                held.clear();
                heldBytes = 0;
                if (ended) {
                    finished = true;
                    then = this::detach;
                }
            } else {
                while (!held.isEmpty() && ch.isWritable()) {
                    if (!started) {
                        started = true;
                        HttpResponse r =
                                new DefaultHttpResponse(
                                        HttpVersion.HTTP_1_1,
                                        HttpResponseStatus.valueOf(reply.status()));
                        reply.headers().forEach(r.headers()::set);
                        HttpUtil.setTransferEncodingChunked(r, true);
                        ch.write(r);
                    }
                    byte[] line = held.poll();
                    heldBytes -= line.length;
                    ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(line)))
                            .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                }
                if (ended && held.isEmpty() && !finished) {
                    finished = true;
                    if (dropped > 0) {
                        LOG.info(
                                "routing: {} records of a streamed answer dropped: the client"
                                        + " read slower than the lookup found them ({} bytes held"
                                        + " at most)",
                                dropped,
                                MAX_HELD_BYTES);
                    }
                    if (started) {
                        ChannelFuture f = ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                        then =
                                () -> {
                                    detach();
                                    last.accept(f);
                                };
                    } else {
                        Responder.Reply r =
                                instead != null
                                        ? instead
                                        : Responder.Reply.error(
                                                500, "internal error; see the gateway's log");
                        then =
                                () -> {
                                    detach();
                                    whole.accept(r);
                                };
                    }
                }
            }
        }
        if (then != null) {
            then.run();
        }
    }

    private void detach() {
        if (ch.pipeline().get(HANDLER) != null) {
            try {
                ch.pipeline().remove(HANDLER);
            } catch (java.util.NoSuchElementException raced) {
                // removed by a concurrent finish or the channel's close
            }
        }
    }
}
