package io.ipdm.lakes.node;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.FrameException;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The socket side of the durability protocol, {@value #PROTOCOL}: each message is an unsigned
 * varint length and that many bytes (the engine's codec), several may follow one another on a
 * stream; a sender opens a stream, writes its messages and half-closes. A frame over the limit
 * resets the stream and is reported as a refusal from that peer; at most {@link
 * #MAX_MESSAGES_PER_STREAM} messages are taken from one stream. Inbound messages are handed to
 * {@code deliver} on {@code executor} (the node's task thread), never on the event loop.
 *
 * <pre>
 * stream  = *frame
 * frame   = uvarint(len) message       ; len &lt;= maxMessage
 * </pre>
 */
final class DurabilityWire {
    static final String PROTOCOL = "/ipdm/durability/1.0.0";
    static final int MAX_MESSAGES_PER_STREAM = 64;

    /** Receives one inbound message, or a refusal (bad framing) with its reason. */
    interface Inbound {
        void message(PeerId from, byte[] message);

        void refused(PeerId from, String reason);
    }

    private final Host host;
    private final int maxMessage;
    private final Executor executor;
    private final Inbound inbound;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();

    DurabilityWire(Host host, int maxMessage, Executor executor, Inbound inbound) {
        this.host = host;
        this.maxMessage = maxMessage;
        this.executor = executor;
        this.inbound = inbound;
        host.addProtocol(PROTOCOL, this::onStream);
    }

    private StreamHandler onStream(Connection conn, YamuxStream stream) {
        PeerId from = conn.remotePeer();
        LengthPrefixedReader reader = new LengthPrefixedReader(maxMessage, PROTOCOL + " message");
        int[] count = {0};
        return new StreamHandler() {
            @Override
            public void onData(YamuxStream s, ByteBuf data) {
                try {
                    reader.feed(
                            data,
                            m -> {
                                if (++count[0] > MAX_MESSAGES_PER_STREAM) {
                                    throw new FrameException(
                                            "more than "
                                                    + MAX_MESSAGES_PER_STREAM
                                                    + " messages on one stream");
                                }
                                received.incrementAndGet();
                                // held until handled: a fast peer waits for us
                                executor.execute(
                                        s.holdUntilDone(m.length, () -> inbound.message(from, m)));
                            });
                } catch (FrameException e) {
                    reader.release();
                    s.reset();
                    String reason = e.getMessage();
                    executor.execute(() -> inbound.refused(from, reason));
                }
            }

            @Override
            public void onRemoteClose(YamuxStream s) {
                reader.release();
                s.closeWrite();
            }

            @Override
            public void onReset(YamuxStream s) {
                reader.release();
            }
        };
    }

    /**
     * Sends {@code message} to {@code to}, dialing {@code addrs} when not connected; the future
     * fails when no connection or stream could be opened.
     */
    CompletableFuture<Void> send(PeerId to, List<Multiaddr> addrs, byte[] message) {
        return connection(to, addrs)
                .thenCompose(c -> c.newStream(PROTOCOL, NO_REPLY))
                .thenAccept(
                        s -> {
                            s.write(LengthPrefixedReader.frame(message));
                            s.closeWrite();
                            sent.incrementAndGet();
                        })
                .whenComplete(
                        (v, e) -> {
                            if (e != null) {
                                sendFailures.incrementAndGet();
                            }
                        });
    }

    private CompletableFuture<Connection> connection(PeerId to, List<Multiaddr> addrs) {
        return host.onLoop(() -> host.connection(to))
                .thenCompose(
                        c -> {
                            if (c != null && c.isOpen()) {
                                return CompletableFuture.completedFuture(c);
                            }
                            CompletableFuture<Connection> f =
                                    CompletableFuture.failedFuture(
                                            new FrameException(
                                                    "no connection to "
                                                            + to
                                                            + " and no address to dial"));
                            for (Multiaddr a : addrs) {
                                Multiaddr full = a.peerId() == null ? a.withPeerId(to) : a;
                                f = f.exceptionallyCompose(e -> host.dial(full));
                            }
                            return f;
                        });
    }

    long sent() {
        return sent.get();
    }

    long received() {
        return received.get();
    }

    long sendFailures() {
        return sendFailures.get();
    }

    private static final StreamHandler NO_REPLY =
            new StreamHandler() {
                @Override
                public void onData(YamuxStream s, ByteBuf data) {
                    s.reset(); // the protocol has no replies on a stream
                }

                @Override
                public void onRemoteClose(YamuxStream s) {}

                @Override
                public void onReset(YamuxStream s) {}
            };
}
