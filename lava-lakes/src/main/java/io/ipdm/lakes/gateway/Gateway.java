package io.ipdm.lakes.gateway;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.car.CarHeader;
import io.ipdm.lakes.ipld.InlineBlocks;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.Varint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.WriteTimeoutHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPFS trustless gateway (<a
 * href="https://specs.ipfs.tech/http-gateways/trustless-gateway/">spec</a>) on Netty: {@code
 * GET|HEAD /ipfs/{cid}} with {@code ?format=raw} (or {@code Accept: application/vnd.ipld.raw}) for
 * one block and {@code /ipfs/{cid}[/path]?format=car} (or {@code Accept: application/vnd.ipld.car})
 * for a CARv1 of the blocks along a UnixFS path then the DAG, depth-first, without duplicates or
 * identity blocks, {@code dag-scope=block|entity|all}; {@code /ipns/{name}} resolved through a
 * {@link NameResolver} and served as its {@code /ipfs/} path, or with {@code ?format=ipns-record}
 * the signed record itself; {@code /routing/v1/} (delegated routing) by {@link RoutingV1} when
 * given one, its NDJSON written line by line as the lookup finds records. A body the request may
 * not carry is answered 413 and the connection closed. What to answer is decided by {@link
 * Responder}; this class moves bytes and enforces {@link GatewayLimits}, so a client that sends
 * slowly, sends too much or opens too many connections is cut off while others are served.
 *
 * <p>Threads: Netty event loops parse and write; block reads run on a bounded worker pool (a full
 * queue answers 503). One request per connection is handled at a time (reading pauses until its
 * response is written), so pipelined requests are answered in order.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final int CHUNK = 1 << 16;

    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ExecutorService workers;
    private final Channel server;
    private final InetSocketAddress address;

    private Gateway(
            EventLoopGroup boss,
            EventLoopGroup io,
            ExecutorService workers,
            Channel server,
            InetSocketAddress address) {
        this.boss = boss;
        this.io = io;
        this.workers = workers;
        this.server = server;
        this.address = address;
    }

    /** Starts serving {@code source} on {@code address} (port 0 picks a free port). */
    public static Gateway start(BlockSource source, InetSocketAddress address) throws IOException {
        return start(source, address, GatewayLimits.DEFAULT);
    }

    /**
     * As {@link #start(BlockSource, InetSocketAddress)}, serving {@code /ipns/} through {@code
     * names} (null: not served).
     */
    public static Gateway start(BlockSource source, InetSocketAddress address, NameResolver names)
            throws IOException {
        return start(source, address, GatewayLimits.DEFAULT, names);
    }

    public static Gateway start(BlockSource source, InetSocketAddress address, GatewayLimits limits)
            throws IOException {
        return start(source, address, limits, null);
    }

    public static Gateway start(
            BlockSource source, InetSocketAddress address, GatewayLimits limits, NameResolver names)
            throws IOException {
        return start(source, address, limits, names, null);
    }

    /**
     * As {@link #start(BlockSource, InetSocketAddress, GatewayLimits, NameResolver)}, also serving
     * the Delegated Routing V1 API under {@code /routing/v1/} through {@code routing} (null: not
     * served).
     */
    public static Gateway start(
            BlockSource source,
            InetSocketAddress address,
            GatewayLimits limits,
            NameResolver names,
            RoutingV1 routing)
            throws IOException {
        EventLoopGroup boss = new NioEventLoopGroup(1, daemon("lake-gateway-accept"));
        EventLoopGroup io = new NioEventLoopGroup(2, daemon("lake-gateway-io"));
        ExecutorService workers =
                new ThreadPoolExecutor(
                        limits.workers(),
                        limits.workers(),
                        30,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(Math.max(1, limits.queuedRequests())),
                        daemon("lake-gateway"));
        Responder responder = new Responder(source, names);
        ConnectionLimiter limiter =
                new ConnectionLimiter(limits.connectionsPerClient(), limits.maxConnections());
        ServerBootstrap b =
                new ServerBootstrap()
                        .group(boss, io)
                        .channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, 256)
                        .childHandler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        setUp(ch, limits, limiter, responder, routing, workers);
                                    }
                                });
        try {
            Channel server = b.bind(address).sync().channel();
            return new Gateway(
                    boss, io, workers, server, (InetSocketAddress) server.localAddress());
        } catch (Exception e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            io.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownNow();
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
            }
            throw new IOException(
                    "cannot serve the gateway on " + address + ": " + e.getMessage(), e);
        }
    }

    private static void setUp(
            SocketChannel ch,
            GatewayLimits limits,
            ConnectionLimiter limiter,
            Responder responder,
            RoutingV1 routing,
            ExecutorService workers) {
        InetAddress client = ch.remoteAddress().getAddress();
        ch.pipeline()
                .addLast(
                        "codec",
                        new HttpServerCodec(
                                limits.maxRequestLineBytes(), limits.maxHeaderBytes(), CHUNK));
        if (!limiter.tryAcquire(client)) {
            // answered before reading anything: the client holds too many connections already
            FullHttpResponse r =
                    text(
                            HttpResponseStatus.TOO_MANY_REQUESTS,
                            "too many connections from "
                                    + client.getHostAddress()
                                    + " (at most "
                                    + limits.connectionsPerClient()
                                    + "); close some and retry");
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ch.eventLoop()
                    .execute(() -> ch.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE));
            return;
        }
        ch.closeFuture().addListener(f -> limiter.release(client));
        Deadline deadline = new Deadline(limits);
        ch.pipeline().addFirst("deadline", deadline);
        ch.pipeline()
                .addLast(
                        "aggregator",
                        // bodies only for routing's PUTs; a larger one is answered 413
                        new Bodies(routing == null ? 0 : RoutingV1.maxBodyBytes(), deadline))
                .addLast(
                        "write-timeout",
                        new WriteTimeoutHandler(
                                limits.writeTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("requests", new Requests(responder, routing, workers, deadline));
    }

    public int port() {
        return address.getPort();
    }

    public URI baseUri() {
        return URI.create("http://" + address.getHostString() + ":" + port());
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        workers.shutdownNow();
    }

    /**
     * Closes a connection that is slow to send its request: from the connection opening or the
     * first byte of a request until the request is whole ({@code requestTimeout}; 408 if part of a
     * request came), and between requests ({@code idleTimeout}). Sits before the codec so bytes
     * that never make a request still count.
     */
    static final class Deadline extends ChannelDuplexHandler {
        private final long requestMillis;
        private final long idleMillis;
        private ChannelHandlerContext ctx;
        private ScheduledFuture<?> timer;
        private boolean reading;
        private boolean busy;

        Deadline(GatewayLimits limits) {
            this.requestMillis = limits.requestTimeout().toMillis();
            this.idleMillis = limits.idleTimeout().toMillis();
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            arm(requestMillis);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!busy && !reading) {
                reading = true;
                arm(requestMillis);
            }
            ctx.fireChannelRead(msg);
        }

        /** A whole request arrived: no deadline while it is answered (the write timeout runs). */
        void requestComplete() {
            busy = true;
            reading = false;
            cancel();
        }

        /** The response is written and the connection stays open for another request. */
        void responseDone() {
            busy = false;
            arm(idleMillis);
        }

        private void arm(long millis) {
            cancel();
            timer = ctx.executor().schedule(this::expired, millis, TimeUnit.MILLISECONDS);
        }

        private void cancel() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void expired() {
            timer = null;
            if (busy || !ctx.channel().isActive()) {
                return;
            }
            if (reading) {
                FullHttpResponse r =
                        text(
                                HttpResponseStatus.REQUEST_TIMEOUT,
                                "the request did not arrive whole within " + requestMillis + " ms");
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.channel().writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }
    }

    /**
     * Aggregates a request with its body, up to {@code max} bytes. A larger body (or any body when
     * none is taken) is answered 413 and the connection closed: the unread rest of the body would
     * otherwise be parsed as the next request on a kept-alive connection.
     */
    static final class Bodies extends HttpObjectAggregator {
        private final int max;
        private final Deadline deadline;

        Bodies(int max, Deadline deadline) {
            super(max);
            this.max = max;
            this.deadline = deadline;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            deadline.requestComplete();
            FullHttpResponse r =
                    text(
                            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                            max == 0
                                    ? "requests take no body here"
                                    : "request body larger than " + max + " bytes");
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** What a request asks, read off the event loop: a body only for routing. */
    private record Asked(
            String method,
            String uri,
            String accept,
            String type,
            byte[] body,
            Responder.Conditions conditions) {}

    /** Answers whole requests, one at a time per connection. */
    static final class Requests extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Responder responder;
        private final RoutingV1 routing;
        private final ExecutorService workers;
        private final Deadline deadline;

        Requests(
                Responder responder,
                RoutingV1 routing,
                ExecutorService workers,
                Deadline deadline) {
            this.responder = responder;
            this.routing = routing;
            this.workers = workers;
            this.deadline = deadline;
        }

        /** Requests pipelined behind the one being answered (decoded from the same read). */
        private final java.util.ArrayDeque<FullHttpRequest> pending = new java.util.ArrayDeque<>();

        private boolean inFlight;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            deadline.requestComplete();
            if (inFlight) {
                if (pending.size() >= 16) {
                    ctx.close(); // a pipelining flood: answered in order or not at all
                    return;
                }
                pending.add(req.retainedDuplicate());
                return;
            }
            inFlight = true;
            handle(ctx, req);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            pending.forEach(FullHttpRequest::release);
            pending.clear();
            ctx.fireChannelInactive();
        }

        private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (req.decoderResult().isFailure()) {
                Throwable cause = req.decoderResult().cause();
                HttpResponseStatus status =
                        cause instanceof TooLongHttpLineException
                                ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                                : cause instanceof TooLongHttpHeaderException
                                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                                        : HttpResponseStatus.BAD_REQUEST;
                String why =
                        status.code() == 414
                                ? "request line longer than the limit"
                                : status.code() == 431
                                        ? "request headers larger than the limit"
                                        : "malformed HTTP request";
                finish(ctx, text(status, why), false);
                return;
            }
            HttpVersion v = req.protocolVersion();
            if (v.majorVersion() != 1 || v.minorVersion() > 1) {
                finish(
                        ctx,
                        text(
                                HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                                "HTTP version not supported; use HTTP/1.1 or HTTP/1.0"),
                        false);
                return;
            }
            String method = req.method().name();
            String uri = req.uri();
            boolean routed = routing != null && RoutingV1.handles(uri);
            if (req.content().isReadable() && !(routed && RoutingV1.takesBody(method, uri))) {
                finish(ctx, text(HttpResponseStatus.BAD_REQUEST, "requests take no body"), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            boolean head = method.equals("HEAD");
            String accept = req.headers().get(HttpHeaderNames.ACCEPT);
            String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
            byte[] body = routed ? ByteBufUtil.getBytes(req.content()) : null;
            Responder.Conditions conditions =
                    new Responder.Conditions(
                            req.headers().get(HttpHeaderNames.RANGE),
                            req.headers().get(HttpHeaderNames.IF_RANGE),
                            req.headers().get(HttpHeaderNames.IF_NONE_MATCH),
                            req.headers()
                                    .containsValue(
                                            HttpHeaderNames.CACHE_CONTROL,
                                            HttpHeaderValues.ONLY_IF_CACHED,
                                            true));
            ctx.channel().config().setAutoRead(false);
            try {
                workers.execute(
                        () ->
                                answer(
                                        ctx,
                                        new Asked(method, uri, accept, type, body, conditions),
                                        head,
                                        keepAlive));
            } catch (RejectedExecutionException e) {
                FullHttpResponse r =
                        text(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy; retry shortly");
                r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
                finish(ctx, r, false);
            }
        }

        /** On a worker thread: decide, then write (a CAR block by block, with backpressure). */
        private void answer(ChannelHandlerContext ctx, Asked q, boolean head, boolean keepAlive) {
            Responder.Reply reply;
            try {
                reply =
                        routing != null && RoutingV1.handles(q.uri())
                                ? routing.respond(
                                        q.method(), q.uri(), q.accept(), q.type(), q.body())
                                : responder.respond(
                                        q.method(), q.uri(), q.accept(), q.conditions());
            } catch (RuntimeException e) {
                LOG.warn("gateway: {} {} failed", q.method(), Responder.cut(q.uri()), e);
                reply = Responder.Reply.error(500, "internal error; see the gateway's log");
            }
            if (reply.streamed() != null) {
                if (!head) {
                    streamLines(ctx, reply, keepAlive);
                    return;
                }
                reply = headOfStream(reply);
            }
            HttpResponseStatus status = HttpResponseStatus.valueOf(reply.status());
            if (reply.car() == null || head) {
                byte[] body = reply.body() == null ? new byte[0] : reply.body();
                FullHttpResponse r =
                        new DefaultFullHttpResponse(
                                HttpVersion.HTTP_1_1,
                                status,
                                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
                reply.headers().forEach(r.headers()::set);
                if (reply.car() == null && reply.status() != 304 && reply.streamed() == null) {
                    HttpUtil.setContentLength(r, body.length);
                }
                finish(ctx, r, keepAlive && reply.status() < 500);
                return;
            }
            streamCar(ctx, reply, keepAlive);
        }

        /**
         * A streamed body (routing's NDJSON) on this worker: {@link RoutingV1Stream} writes each
         * piece while the channel is writable and holds a bounded amount while it is not; this
         * worker is given back when the lookup ends, not when a slow client has read it all.
         */
        private void streamLines(
                ChannelHandlerContext ctx, Responder.Reply reply, boolean keepAlive) {
            RoutingV1Stream lines =
                    new RoutingV1Stream(
                            ctx.channel(),
                            reply,
                            r -> {
                                byte[] body = r.body() == null ? new byte[0] : r.body();
                                FullHttpResponse full =
                                        new DefaultFullHttpResponse(
                                                HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.valueOf(r.status()),
                                                Unpooled.wrappedBuffer(body));
                                r.headers().forEach(full.headers()::set);
                                HttpUtil.setContentLength(full, body.length);
                                finish(ctx, full, keepAlive && r.status() < 500);
                            },
                            written -> finishWritten(ctx, written, keepAlive));
            Responder.Reply instead;
            try {
                instead = reply.streamed().run(lines::offer);
            } catch (RuntimeException e) {
                LOG.warn("gateway: streaming an answer failed", e);
                instead = Responder.Reply.error(500, "internal error; see the gateway's log");
            }
            lines.end(instead);
        }

        /**
         * A HEAD of a streamed answer: its status and headers, without running the stream (a
         * routing lookup): what a GET would stream is only known by running it (RFC 9110 9.3.2 lets
         * a HEAD omit what only generating the content determines).
         */
        private static Responder.Reply headOfStream(Responder.Reply reply) {
            return new Responder.Reply(
                    reply.status(), reply.headers(), new byte[0], null, reply.streamed());
        }

        private void streamCar(
                ChannelHandlerContext ctx, Responder.Reply reply, boolean keepAlive) {
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            reply.headers().forEach(r.headers()::set);
            HttpUtil.setTransferEncodingChunked(r, true);
            ctx.channel().write(r);
            new CarStream(ctx, reply.car(), keepAlive).pump();
        }

        /** The CAR being streamed on this connection; event loop only. */
        private CarStream streaming;

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && streaming != null) {
                CarStream s = streaming;
                streaming = null;
                s.schedule();
            }
            ctx.fireChannelWritabilityChanged();
        }

        /**
         * Writes a CAR chunk by chunk on worker threads while the channel is writable, and gives
         * the worker back while it is not (a slow reader holds a connection, not a thread; one that
         * stops reading trips the write timeout).
         */
        private final class CarStream {
            private final ChannelHandlerContext ctx;
            private final Responder.Car car;
            private final boolean keepAlive;
            private int next;
            private boolean headerSent;

            CarStream(ChannelHandlerContext ctx, Responder.Car car, boolean keepAlive) {
                this.ctx = ctx;
                this.car = car;
                this.keepAlive = keepAlive;
            }

            void schedule() {
                try {
                    workers.execute(this::pump);
                } catch (RejectedExecutionException e) {
                    ctx.channel().close();
                }
            }

            /** On a worker thread. */
            void pump() {
                Channel ch = ctx.channel();
                try {
                    while (ch.isActive() && ch.isWritable() && !done()) {
                        ch.writeAndFlush(new DefaultHttpContent(chunk()))
                                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                    }
                    if (!ch.isActive()) {
                        return;
                    }
                    if (done()) {
                        finishWritten(
                                ctx,
                                ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT),
                                keepAlive);
                        return;
                    }
                    ch.eventLoop().execute(this::awaitWritable);
                } catch (IOException | RuntimeException e) {
                    LOG.info("gateway: CAR of {} cut off: {}", car.root(), e.getMessage());
                    ch.close();
                }
            }

            /** On the event loop, so a writability change cannot slip between check and wait. */
            private void awaitWritable() {
                if (ctx.channel().isWritable()) {
                    schedule();
                } else {
                    streaming = this;
                }
            }

            private boolean done() {
                return headerSent && next == car.blocks().size();
            }

            /** The next sections (the header first), about {@link #CHUNK} bytes. */
            private ByteBuf chunk() throws IOException {
                ByteBuf buf = Unpooled.buffer(CHUNK);
                if (!headerSent) {
                    byte[] header = new CarHeader(List.of(car.root())).encode();
                    buf.writeBytes(Varint.encode(header.length)).writeBytes(header);
                    headerSent = true;
                }
                while (next < car.blocks().size() && buf.readableBytes() < CHUNK) {
                    Cid cid = car.blocks().get(next);
                    Block b = InlineBlocks.get(responder.source(), cid);
                    if (b == null) {
                        // vanished after the walk: the client sees a CAR without its end chunk
                        throw new IOException("block " + cid + " disappeared mid-response");
                    }
                    byte[] c = b.cid().toBytes();
                    buf.writeBytes(Varint.encode((long) c.length + b.data().length))
                            .writeBytes(c)
                            .writeBytes(b.data());
                    next++;
                }
                return buf;
            }
        }

        private void finish(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            finishWritten(ctx, ctx.channel().writeAndFlush(r), keepAlive);
        }

        private void finishWritten(
                ChannelHandlerContext ctx, ChannelFuture written, boolean keepAlive) {
            written.addListener(
                    f -> {
                        if (!f.isSuccess() || !keepAlive) {
                            ctx.channel().close();
                            return;
                        }
                        ctx.channel().eventLoop().execute(() -> next(ctx));
                    });
        }

        /** On the event loop, after a response: the next pipelined request, or read again. */
        private void next(ChannelHandlerContext ctx) {
            FullHttpRequest queued = pending.poll();
            if (queued != null) {
                try {
                    handle(ctx, queued);
                } finally {
                    queued.release();
                }
                return;
            }
            inFlight = false;
            deadline.responseDone();
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // resets, write timeouts: nothing to tell a client that is gone or stuck
            ctx.close();
        }
    }

    static FullHttpResponse text(HttpResponseStatus status, String message) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r =
                new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(r, body.length);
        return r;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
