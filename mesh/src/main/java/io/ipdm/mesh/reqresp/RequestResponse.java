package io.ipdm.mesh.reqresp;

import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.FrameException;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One request and one response per stream, each a length-prefixed message followed by a half-close,
 * on a protocol id of the caller's choice (e.g. {@code /ipdm/block/1.0.0}). Sizes are bounded on
 * both sides; a handler failure resets the stream.
 */
public final class RequestResponse {
    private RequestResponse() {}

    /**
     * Serves {@code protocol}: {@code handler} gets each request (on the event loop) and completes
     * the response, possibly later and on another thread.
     */
    public static void serve(
            Host host,
            String protocol,
            int maxRequest,
            Function<byte[], CompletableFuture<byte[]>> handler) {
        host.addProtocol(
                protocol,
                (conn, stream) -> {
                    LengthPrefixedReader reader =
                            new LengthPrefixedReader(maxRequest, protocol + " request");
                    byte[][] request = new byte[1][];
                    return new StreamHandler() {
                        @Override
                        public void onData(YamuxStream s, ByteBuf data) {
                            try {
                                reader.feed(
                                        data,
                                        m -> {
                                            if (request[0] != null) {
                                                throw new FrameException(
                                                        protocol
                                                                + ": more than one request on a stream");
                                            }
                                            request[0] = m;
                                        });
                            } catch (FrameException e) {
                                reader.release();
                                s.reset();
                            }
                        }

                        @Override
                        public void onRemoteClose(YamuxStream s) {
                            reader.release();
                            if (request[0] == null) {
                                s.reset();
                                return;
                            }
                            // The request counts against the connection's receive budget
                            // until answered, so a peer cannot pile up unanswered requests.
                            int held = request[0].length;
                            s.hold(held);
                            CompletableFuture<byte[]> r;
                            try {
                                r = handler.apply(request[0]);
                            } catch (RuntimeException e) {
                                s.release(held);
                                s.reset();
                                return;
                            }
                            r.whenComplete(
                                    (resp, e) -> {
                                        s.release(held);
                                        if (e != null || resp == null) {
                                            s.reset();
                                        } else {
                                            s.write(LengthPrefixedReader.frame(resp));
                                            s.closeWrite();
                                        }
                                    });
                        }

                        @Override
                        public void onReset(YamuxStream s) {
                            reader.release();
                        }
                    };
                });
    }

    /** Sends {@code request} and waits for the response of at most {@code maxResponse} bytes. */
    public static CompletableFuture<byte[]> request(
            Connection conn, String protocol, byte[] request, int maxResponse, Duration timeout) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        LengthPrefixedReader reader = new LengthPrefixedReader(maxResponse, protocol + " response");
        byte[][] response = new byte[1][];
        conn.newStream(
                        protocol,
                        new StreamHandler() {
                            @Override
                            public void onData(YamuxStream s, ByteBuf data) {
                                try {
                                    reader.feed(data, m -> response[0] = m);
                                } catch (FrameException e) {
                                    result.completeExceptionally(e);
                                    reader.release();
                                    s.reset();
                                }
                            }

                            @Override
                            public void onRemoteClose(YamuxStream s) {
                                reader.release();
                                if (response[0] != null) {
                                    result.complete(response[0]);
                                } else {
                                    result.completeExceptionally(
                                            new FrameException(
                                                    protocol
                                                            + ": stream closed without a response"));
                                }
                            }

                            @Override
                            public void onReset(YamuxStream s) {
                                reader.release();
                                result.completeExceptionally(
                                        new FrameException(
                                                protocol
                                                        + ": the peer reset the stream (request failed)"));
                            }
                        })
                .whenComplete(
                        (s, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                            } else {
                                s.write(LengthPrefixedReader.frame(request));
                                s.closeWrite();
                                conn.host()
                                        .eventLoop()
                                        .schedule(
                                                () -> {
                                                    if (result.completeExceptionally(
                                                            new TimeoutException(
                                                                    protocol
                                                                            + ": no response within "
                                                                            + timeout))) {
                                                        s.reset();
                                                    }
                                                },
                                                timeout.toMillis(),
                                                TimeUnit.MILLISECONDS);
                            }
                        });
        return result;
    }
}
