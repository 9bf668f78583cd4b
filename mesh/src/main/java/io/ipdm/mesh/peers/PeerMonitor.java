package io.ipdm.mesh.peers;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.node.MeshNode;
import io.ipdm.mesh.ping.Ping;
import io.ipdm.mesh.reqresp.RequestResponse;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.ConnectionListener;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds an {@link IdentityStore} from a mesh node (connections, identify's listen addresses, a ping
 * of every connected peer each {@code pingInterval}), saves it every {@code saveInterval} and on
 * close, and serves peer exchange ({@value #PX_PROTOCOL}): a peer asking for n gets up to n random
 * others this node knows addresses of (never itself or the asker); {@link #exchange} asks one.
 */
public final class PeerMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerMonitor.class);
    public static final String PX_PROTOCOL = "/ipdm/px/1.0.0";

    private final MeshNode mesh;
    private final IdentityStore store;
    private final RandomGenerator random;
    private ScheduledFuture<?> pings;
    private ScheduledFuture<?> saves;

    private PeerMonitor(MeshNode mesh, IdentityStore store, RandomGenerator random) {
        this.mesh = mesh;
        this.store = store;
        this.random = random;
    }

    public static PeerMonitor start(
            MeshNode mesh, IdentityStore store, Duration pingInterval, Duration saveInterval) {
        PeerMonitor m = new PeerMonitor(mesh, store, new SecureRandom());
        mesh.host()
                .addConnectionListener(
                        new ConnectionListener() {
                            @Override
                            public void onConnected(Connection c) {
                                store.connected(c.remotePeer(), c.remoteAddress(), c.isOutbound());
                                m.ping(c);
                            }

                            @Override
                            public void onDisconnected(Connection c) {
                                store.disconnected(c.remotePeer());
                            }
                        });
        mesh.identify()
                .addListener((c, info) -> store.addresses(c.remotePeer(), info.listenAddrs()));
        RequestResponse.serve(
                mesh.host(),
                PX_PROTOCOL,
                64,
                req -> {
                    try {
                        int n = PeerExchangeCodec.decodeRequest(req);
                        return CompletableFuture.completedFuture(
                                PeerExchangeCodec.response(
                                        store.sample(n, m.random, Set.of(mesh.peerId()))));
                    } catch (RuntimeException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                });
        m.pings =
                mesh.host()
                        .eventLoop()
                        .scheduleWithFixedDelay(
                                m::pingAll,
                                pingInterval.toMillis(),
                                pingInterval.toMillis(),
                                TimeUnit.MILLISECONDS);
        m.saves =
                mesh.host()
                        .eventLoop()
                        .scheduleWithFixedDelay(
                                m::saveQuietly,
                                saveInterval.toMillis(),
                                saveInterval.toMillis(),
                                TimeUnit.MILLISECONDS);
        return m;
    }

    public IdentityStore store() {
        return store;
    }

    private void pingAll() {
        for (Connection c : mesh.host().connections()) {
            ping(c);
        }
    }

    private void ping(Connection c) {
        Ping.ping(c)
                .whenComplete(
                        (rtt, e) -> {
                            if (e == null) {
                                store.rtt(c.remotePeer(), rtt);
                            }
                        });
    }

    private void saveQuietly() {
        try {
            store.save();
        } catch (RuntimeException e) {
            LOG.warn("saving the identity store failed: {}", e.getMessage());
        }
    }

    /**
     * Asks the connected {@code peer} to introduce up to {@code n} random others; they go into the
     * store (addresses, never this node or the introducer) and are returned.
     */
    public CompletableFuture<List<PeerExchangeCodec.Intro>> exchange(PeerId peer, int n) {
        // The connection table belongs to the event loop: read it there, not from the caller's
        // thread (a read racing the loop's writes can miss a connection that exists).
        return mesh.host()
                .onLoop(() -> mesh.host().connection(peer))
                .thenCompose(
                        c ->
                                c == null
                                        ? CompletableFuture.failedFuture(
                                                new IllegalStateException(
                                                        "peer exchange: not connected to " + peer))
                                        : RequestResponse.request(
                                                c,
                                                PX_PROTOCOL,
                                                PeerExchangeCodec.request(n),
                                                PeerExchangeCodec.MAX_RESPONSE,
                                                Duration.ofSeconds(10)))
                .thenApply(
                        b -> {
                            List<PeerExchangeCodec.Intro> intros =
                                    PeerExchangeCodec.decodeResponse(b, n).stream()
                                            .filter(
                                                    i ->
                                                            !i.peer().equals(mesh.peerId())
                                                                    && !i.peer().equals(peer))
                                            .toList();
                            for (PeerExchangeCodec.Intro i : intros) {
                                store.addresses(i.peer(), i.addresses());
                            }
                            return intros;
                        });
    }

    @Override
    public void close() {
        if (pings != null) {
            pings.cancel(false);
        }
        if (saves != null) {
            saves.cancel(false);
        }
        saveQuietly();
    }
}
