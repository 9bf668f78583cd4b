package io.ipdm.mesh.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.TransportConfig;
import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two hosts over loopback TCP (Noise, Yamux): a consumer that hands data to a slow worker holds the
 * sender back through the stream's window, so the receiver never keeps more than one window.
 */
class YamuxBackpressureTest {
    private static final String PROTO = "/ipdm/test/slow/1.0.0";
    private static final int TOTAL = 8 * 1024 * 1024;
    private static final int WINDOW = YamuxConfig.DEFAULT_WINDOW;

    private final Host server = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
    private final Host client = new Host(Ed25519KeyPair.generate(), TransportConfig.defaults());
    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        worker.shutdownNow();
        client.close();
        server.close();
    }

    @Test
    void aSlowConsumerHoldsTheSenderBackAndKeepsOneWindow() throws Exception {
        Semaphore workAllowed = new Semaphore(0);
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        AtomicLong consumed = new AtomicLong();
        AtomicLong received = new AtomicLong();
        AtomicLong mostUnconsumed = new AtomicLong();
        CompletableFuture<Void> fin = new CompletableFuture<>();
        server.addProtocol(
                PROTO,
                (conn, stream) ->
                        new StreamHandler() {
                            @Override
                            public void onData(YamuxStream s, ByteBuf data) {
                                byte[] copy = new byte[data.readableBytes()];
                                data.readBytes(copy);
                                s.hold(copy.length); // handed to the worker
                                received.addAndGet(copy.length);
                                mostUnconsumed.accumulateAndGet(
                                        s.session().unconsumedBytes(), Math::max);
                                worker.execute(
                                        () -> {
                                            workAllowed.acquireUninterruptibly();
                                            got.update(copy);
                                            consumed.addAndGet(copy.length);
                                            s.release(copy.length);
                                        });
                            }

                            @Override
                            public void onRemoteClose(YamuxStream s) {
                                worker.execute(() -> fin.complete(null));
                                s.closeWrite();
                            }
                        });
        Multiaddr addr = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Connection c = client.dial(addr).get(10, TimeUnit.SECONDS);
        YamuxStream out = c.newStream(PROTO, (s, d) -> {}).get(10, TimeUnit.SECONDS);

        byte[] payload = new byte[TOTAL];
        new Random(7).nextBytes(payload);
        out.write(payload);
        out.closeWrite();

        // The worker consumes nothing yet: the receiver takes one window (less the few bytes of
        // protocol negotiation, consumed at once), then the sender's queue keeps the rest.
        waitFor(
                () ->
                        received.get() + client.onLoop(out::queuedBytes).join() == TOTAL
                                && received.get() > WINDOW - 1024);
        assertThat(received.get()).isLessThanOrEqualTo(WINDOW);
        assertThat(consumed.get()).isZero();

        // Let the worker go: everything arrives, in order, never more than a window unconsumed.
        workAllowed.release(Integer.MAX_VALUE / 2);
        fin.get(60, TimeUnit.SECONDS);
        assertThat(consumed.get()).isEqualTo(TOTAL);
        assertThat(got.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
        assertThat(mostUnconsumed.get()).isLessThanOrEqualTo(WINDOW);
    }

    @Test
    void aPeerFloodingStreamsThatAreNotReadIsStoppedAtHalfTheBudget() throws Exception {
        // Every stream the server accepts is paused (a consumer that never catches up); the client
        // fills 40 streams with a window each, 10 MiB against the 8 MiB budget.
        java.util.List<YamuxStream> paused = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.addProtocol(
                PROTO,
                (conn, stream) -> {
                    stream.pause();
                    paused.add(stream);
                    return (s, d) -> {};
                });
        Multiaddr addr = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
        Connection c = client.dial(addr).get(10, TimeUnit.SECONDS);
        int streams = 40;
        java.util.List<YamuxStream> outs = new java.util.ArrayList<>();
        for (int i = 0; i < streams; i++) {
            outs.add(c.newStream(PROTO, (s, d) -> {}).get(10, TimeUnit.SECONDS));
        }
        // (opened first: while the server does not read, it negotiates no new stream either)
        for (YamuxStream out : outs) {
            out.write(new byte[WINDOW]);
        }
        long budget = YamuxConfig.defaults().maxUnconsumed();
        // The server stops reading at half the budget; what it read stays within the budget, the
        // rest waits in TCP (the client had the window to send it), nothing is reset.
        waitFor(() -> paused.size() > 0 && unconsumed(paused.get(0)) >= budget / 2);
        Thread.sleep(500); // what the server would still read, it reads by now
        long held = unconsumed(paused.get(0));
        assertThat(held).isBetween(budget / 2, budget);
        assertThat(outs).noneMatch(YamuxStream::isReset);

        // The consumer catches up: reading restarts and every byte arrives.
        for (YamuxStream s : paused) {
            s.resume();
        }
        waitFor(() -> paused.size() == streams && unconsumed(paused.get(0)) == 0);
        for (YamuxStream out : outs) {
            waitFor(() -> client.onLoop(out::queuedBytes).join() == 0);
        }
        assertThat(outs).noneMatch(YamuxStream::isReset);
    }

    private long unconsumed(YamuxStream s) {
        return server.onLoop(() -> s.session().unconsumedBytes()).join();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
