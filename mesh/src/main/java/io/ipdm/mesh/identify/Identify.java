package io.ipdm.mesh.identify;

import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.PeerRecord;
import io.ipdm.mesh.identity.PublicKey;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.mesh.multiaddr.MultiaddrException;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.ConnectionListener;
import io.ipdm.mesh.transport.FrameException;
import io.ipdm.mesh.transport.Host;
import io.ipdm.mesh.transport.LengthPrefixedReader;
import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The identify protocol ({@value #PROTOCOL}, identify spec): the side that receives the stream
 * answers with one length-prefixed {@code Identify} message and closes it. Identify push ({@value
 * #PUSH_PROTOCOL}): the side that opens the stream sends its message and closes it; the receiver
 * replaces the fields present in it (a repeated field as a whole). We push ours to every connection
 * when the host's protocols or listen addresses change ({@link Host#addChangeListener}), once per
 * {@link #PUSH_DELAY_MILLIS} so that a service registering several protocols costs one push.
 *
 * <pre>
 * message Identify {
 *   optional bytes  publicKey = 1;  repeated bytes listenAddrs = 2;  repeated string protocols = 3;
 *   optional bytes  observedAddr = 4;  optional string protocolVersion = 5;  optional string agentVersion = 6;
 *   optional bytes  signedPeerRecord = 8;
 * }
 * </pre>
 */
public final class Identify {
    public static final String PROTOCOL = "/ipfs/id/1.0.0";
    public static final String PUSH_PROTOCOL = "/ipfs/id/push/1.0.0";
    public static final String PROTOCOL_VERSION = "ipfs/0.1.0";
    public static final int MAX_MESSAGE = 64 * 1024;

    /** Changes within this long after the first one go out in one push. */
    public static final long PUSH_DELAY_MILLIS = 100;

    private final Host host;
    private final String agentVersion;
    private final Map<PeerId, IdentifyInfo> peers = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong refused =
            new java.util.concurrent.atomic.AtomicLong();
    private final List<BiConsumer<Connection, IdentifyInfo>> listeners =
            new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong pushesSent =
            new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong pushesReceived =
            new java.util.concurrent.atomic.AtomicLong();
    private boolean pushPending; // on the event loop
    private PeerRecord ownRecord; // on the event loop
    private byte[] ownEnvelope;

    private Identify(Host host, String agentVersion) {
        this.host = host;
        this.agentVersion = agentVersion;
    }

    /**
     * Serves identify on {@code host} and identifies every new peer; register other protocols first
     * or later.
     */
    public static Identify install(Host host, String agentVersion, boolean identifyOnConnect) {
        Identify id = new Identify(host, agentVersion);
        host.addProtocol(
                PROTOCOL,
                (conn, stream) -> {
                    stream.write(LengthPrefixedReader.frame(id.encode(conn)));
                    stream.closeWrite();
                    return (s, data) -> {};
                });
        host.addProtocol(PUSH_PROTOCOL, (conn, stream) -> id.receivePush(conn));
        host.addChangeListener(id::changed);
        if (identifyOnConnect) {
            host.addConnectionListener(
                    new ConnectionListener() {
                        @Override
                        public void onConnected(Connection c) {
                            id.identify(c);
                        }

                        @Override
                        public void onDisconnected(Connection c) {
                            id.peers.remove(c.remotePeer());
                        }
                    });
        }
        return id;
    }

    /**
     * Calls {@code listener} on the event loop with every peer's identify answer (e.g. the DHT
     * learns from the protocols which peers are DHT servers).
     */
    public void addListener(BiConsumer<Connection, IdentifyInfo> listener) {
        listeners.add(listener);
    }

    /** What the peer said last, or null if it has not been identified. */
    public IdentifyInfo info(PeerId peer) {
        return peers.get(peer);
    }

    /** On the event loop: our protocols or addresses changed; push once the burst is over. */
    private void changed() {
        if (pushPending || host.connections().isEmpty()) {
            return; // peers that connect later identify us afresh
        }
        pushPending = true;
        host.eventLoop()
                .schedule(
                        () -> {
                            pushPending = false;
                            pushAll();
                        },
                        PUSH_DELAY_MILLIS,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Identify pushes sent (one per connection per push). */
    public long pushesSent() {
        return pushesSent.get();
    }

    /** Identify pushes received and applied. */
    public long pushesReceived() {
        return pushesReceived.get();
    }

    /**
     * Sends our identify message to every connected peer (their view of our protocols changed);
     * done automatically on changes, public for tests and callers that changed what identify
     * reports by other means.
     */
    public void pushAll() {
        for (Connection c : host.connections()) {
            pushesSent.incrementAndGet();
            c.newStream(
                            PUSH_PROTOCOL,
                            new StreamHandler() {
                                @Override
                                public void onData(YamuxStream s, ByteBuf data) {
                                    data.release(); // nothing is expected back
                                }

                                @Override
                                public void onRemoteClose(YamuxStream s) {}
                            })
                    .thenAccept(
                            s -> {
                                s.write(LengthPrefixedReader.frame(encode(c)));
                                s.closeWrite();
                            });
        }
    }

    private StreamHandler receivePush(Connection conn) {
        LengthPrefixedReader reader = new LengthPrefixedReader(MAX_MESSAGE, "identify push");
        List<byte[]> got = new ArrayList<>();
        return new StreamHandler() {
            @Override
            public void onData(YamuxStream s, ByteBuf data) {
                try {
                    reader.feed(data, got::add);
                } catch (FrameException e) {
                    s.reset();
                    refuse(conn);
                }
            }

            @Override
            public void onRemoteClose(YamuxStream s) {
                reader.release();
                s.closeWrite();
                for (byte[] msg : got) {
                    try {
                        accept(conn, decode(msg, peers.get(conn.remotePeer()), conn.remotePeer()));
                        pushesReceived.incrementAndGet();
                    } catch (RuntimeException e) {
                        refuse(conn);
                        return;
                    }
                }
            }

            @Override
            public void onReset(YamuxStream s) {
                reader.release();
            }
        };
    }

    /**
     * A peer whose identify message is oversized, malformed or carries another peer's key broke the
     * protocol (or impersonates someone): we close the connection.
     */
    private void refuse(Connection conn) {
        refused.incrementAndGet();
        conn.close();
    }

    /** Connections closed for a bad identify message (oversized, malformed, forged key). */
    public long refused() {
        return refused.get();
    }

    private void accept(Connection conn, IdentifyInfo info) {
        if (info.publicKey() != null && !conn.remotePeer().matches(info.publicKey())) {
            throw new IdentityException(
                    "identify public key does not match peer " + conn.remotePeer());
        }
        peers.put(conn.remotePeer(), info);
        for (BiConsumer<Connection, IdentifyInfo> l : listeners) {
            l.accept(conn, info);
        }
    }

    byte[] encode(Connection conn) {
        ProtoWriter w = new ProtoWriter().bytes(1, host.identity().publicKey().toProtobuf());
        for (Multiaddr a : host.listenAddrs()) {
            w.bytes(2, a.toBytes());
        }
        for (String p : host.protocols()) {
            w.string(3, p);
        }
        w.bytes(4, conn.remoteAddress().toBytes());
        w.string(5, PROTOCOL_VERSION);
        w.string(6, agentVersion);
        w.bytes(8, ownRecord());
        return w.toByteArray();
    }

    /**
     * Our signed peer record over our listen addresses, sealed again (with a higher sequence
     * number, from the wall clock as go- and js-libp2p do) when they changed. On the event loop.
     */
    private synchronized byte[] ownRecord() {
        List<Multiaddr> addrs = host.listenAddrs();
        if (ownRecord == null || !ownRecord.addresses().equals(addrs)) {
            long seq =
                    Math.max(
                            System.currentTimeMillis(),
                            ownRecord == null ? 0 : ownRecord.seq() + 1);
            ownRecord = new PeerRecord(host.peerId(), seq, addrs);
            ownEnvelope = ownRecord.seal(host.identity());
        }
        return ownEnvelope;
    }

    /** Asks the peer to identify itself; checks that its key matches the authenticated peer id. */
    public CompletableFuture<IdentifyInfo> identify(Connection conn) {
        CompletableFuture<IdentifyInfo> result = new CompletableFuture<>();
        LengthPrefixedReader reader = new LengthPrefixedReader(MAX_MESSAGE, "identify");
        List<byte[]> got = new ArrayList<>();
        conn.newStream(
                        PROTOCOL,
                        new StreamHandler() {
                            @Override
                            public void onData(YamuxStream s, ByteBuf data) {
                                try {
                                    reader.feed(data, got::add);
                                } catch (FrameException e) {
                                    result.completeExceptionally(e);
                                    s.reset();
                                    refuse(conn);
                                }
                            }

                            @Override
                            public void onRemoteClose(YamuxStream s) {
                                reader.release();
                                s.closeWrite();
                                if (got.isEmpty()) {
                                    result.completeExceptionally(
                                            new FrameException(
                                                    "identify stream closed without a message"));
                                    return;
                                }
                                try {
                                    IdentifyInfo info = decode(got.get(0), null, conn.remotePeer());
                                    accept(conn, info);
                                    result.complete(info);
                                } catch (RuntimeException e) {
                                    result.completeExceptionally(e);
                                    refuse(conn);
                                }
                            }

                            @Override
                            public void onReset(YamuxStream s) {
                                reader.release();
                                result.completeExceptionally(
                                        new FrameException("identify stream reset"));
                            }
                        })
                .whenComplete(
                        (s, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                            }
                        });
        return result;
    }

    /**
     * Decodes a message from {@code peer}; fields it lacks come from {@code base} (an earlier
     * answer) when given. A signed peer record that does not verify or is not {@code peer}'s is
     * dropped (the rest of the message stands, as other implementations do).
     */
    static IdentifyInfo decode(byte[] msg, IdentifyInfo base, PeerId peer) {
        ProtoReader r = new ProtoReader(msg, "Identify");
        String pv = base == null ? null : base.protocolVersion();
        String av = base == null ? null : base.agentVersion();
        PublicKey key = base == null ? null : base.publicKey();
        List<Multiaddr> addrs = new ArrayList<>();
        Multiaddr observed = base == null ? null : base.observedAddr();
        List<String> protocols = new ArrayList<>();
        boolean sawAddrs = false;
        boolean sawProtocols = false;
        byte[] record = base == null ? null : base.signedPeerRecord();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> key = PublicKey.fromProtobuf(r.bytes());
                case 2 -> {
                    sawAddrs = true;
                    byte[] a = r.bytes();
                    try {
                        addrs.add(Multiaddr.fromBytes(a));
                    } catch (MultiaddrException e) {
                        // Peers may advertise transports we do not speak (quic, ws): skip those.
                    }
                }
                case 3 -> {
                    sawProtocols = true;
                    protocols.add(r.string());
                }
                case 4 -> {
                    byte[] a = r.bytes();
                    try {
                        observed = Multiaddr.fromBytes(a);
                    } catch (MultiaddrException e) {
                        observed = null;
                    }
                }
                case 5 -> pv = r.string();
                case 6 -> av = r.string();
                case 8 -> {
                    byte[] env = r.bytes();
                    try {
                        record = PeerRecord.open(env).peer().equals(peer) ? env : record;
                    } catch (IdentityException e) {
                        // not verifiable: keep what we held
                    }
                }
                default -> r.skip();
            }
        }
        if (base != null && !sawAddrs) {
            addrs.addAll(base.listenAddrs());
        }
        if (base != null && !sawProtocols) {
            protocols.addAll(base.protocols());
        }
        return new IdentifyInfo(
                pv, av, key, List.copyOf(addrs), observed, List.copyOf(protocols), record);
    }
}
