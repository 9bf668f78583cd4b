package io.ipdm.mesh.ping;

import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The ping protocol ({@value #PROTOCOL}, ping spec): the dialer sends 32 random bytes, the listener
 * echoes every 32 bytes it gets; the round trip time is measured on the dialer.
 */
public final class Ping {
    public static final String PROTOCOL = "/ipfs/ping/1.0.0";
    public static final int SIZE = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ping() {}

    public static void install(Host host) {
        host.addProtocol(
                PROTOCOL,
                (conn, stream) -> {
                    ByteBuf acc = Unpooled.buffer();
                    return new StreamHandler() {
                        @Override
                        public void onData(YamuxStream s, ByteBuf data) {
                            acc.writeBytes(data);
                            while (acc.readableBytes() >= SIZE) {
                                s.write(acc.readBytes(SIZE));
                            }
                            acc.discardReadBytes();
                        }

                        @Override
                        public void onRemoteClose(YamuxStream s) {
                            acc.release();
                            s.closeWrite();
                        }

                        @Override
                        public void onReset(YamuxStream s) {
                            if (acc.refCnt() > 0) {
                                acc.release();
                            }
                        }
                    };
                });
    }

    /** One ping; completes with the round-trip time or fails if the echo differs. */
    public static CompletableFuture<Duration> ping(Connection conn) {
        byte[] payload = new byte[SIZE];
        RANDOM.nextBytes(payload);
        CompletableFuture<Duration> result = new CompletableFuture<>();
        ByteBuf acc = Unpooled.buffer();
        long[] start = new long[1];
        conn.newStream(
                        PROTOCOL,
                        new StreamHandler() {
                            @Override
                            public void onData(YamuxStream s, ByteBuf data) {
                                acc.writeBytes(data);
                                if (acc.readableBytes() >= SIZE) {
                                    byte[] echo = new byte[SIZE];
                                    acc.readBytes(echo);
                                    if (Arrays.equals(echo, payload)) {
                                        result.complete(
                                                Duration.ofNanos(System.nanoTime() - start[0]));
                                    } else {
                                        result.completeExceptionally(
                                                new IllegalStateException(
                                                        "ping echo differs from the payload sent"));
                                    }
                                    acc.release();
                                    s.closeWrite();
                                }
                            }

                            @Override
                            public void onReset(YamuxStream s) {
                                result.completeExceptionally(
                                        new IllegalStateException("ping stream reset"));
                            }
                        })
                .whenComplete(
                        (s, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                            } else {
                                start[0] = System.nanoTime();
                                s.write(payload);
                            }
                        });
        return result;
    }
}
