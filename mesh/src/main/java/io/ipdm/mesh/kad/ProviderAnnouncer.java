package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The provider side of {@link Kademlia}: what we provide, announced to the k closest peers of each
 * key (at most {@link KadConfig#maxConcurrentProvides()} lookups at once, the rest queued) and
 * announced again every {@link KadConfig#republishInterval()}. The node's thread calls it.
 */
final class ProviderAnnouncer {
    private record Announce(byte[] key, CompletableFuture<ProvideResult> done) {}

    private static final class Provided {
        final byte[] key;
        long nextAt;

        Provided(byte[] key, long nextAt) {
            this.key = key;
            this.nextAt = nextAt;
        }
    }

    private final Kademlia k;
    private final PeerId self;
    private final KadConfig cfg;
    private final ProviderStore store;
    private final List<KadAction> actions;
    private final Map<String, Provided> provided = new LinkedHashMap<>();
    private final ArrayDeque<Announce> announceQueue = new ArrayDeque<>();
    private int announcing;
    private long republishDue = Long.MAX_VALUE;

    ProviderAnnouncer(Kademlia k) {
        this.k = k;
        this.self = k.self;
        this.cfg = k.cfg;
        this.store = k.store;
        this.actions = k.actions;
    }

    /**
     * Announces that we provide {@code key}: stores ourselves locally, finds the k closest peers
     * and sends each an ADD_PROVIDER; repeats every {@link KadConfig#republishInterval()} until
     * {@link #stopProviding}.
     */
    CompletableFuture<ProvideResult> provide(byte[] key) {
        String id = HexFormat.of().formatHex(key);
        long next = k.now() + cfg.republishInterval().toMillis();
        provided.put(id, new Provided(key.clone(), next));
        republishDue = Math.min(republishDue, next);
        return announce(key);
    }

    /**
     * Stops republishing {@code key} and drops our own local record (we no longer answer
     * GET_PROVIDERS with ourselves); records already stored elsewhere expire on their own.
     */
    void stopProviding(byte[] key) {
        provided.remove(HexFormat.of().formatHex(key));
        store.remove(key, self);
    }

    private CompletableFuture<ProvideResult> announce(byte[] key) {
        store.add(key, self, k.localAddrs, k.now() + cfg.providerTtl().toMillis());
        Announce a = new Announce(key, new CompletableFuture<>());
        announceQueue.add(a);
        startAnnounces();
        return a.done;
    }

    private void startAnnounces() {
        while (announcing < cfg.maxConcurrentProvides() && !announceQueue.isEmpty()) {
            Announce a = announceQueue.poll();
            announcing++;
            k.closestPeers(a.key, cfg.queryTimeout())
                    .thenAccept(
                            r -> {
                                KadMessage add =
                                        new KadMessage(
                                                KadMessage.Type.ADD_PROVIDER,
                                                a.key,
                                                null,
                                                List.of(),
                                                List.of(KadPeer.of(self, k.localAddrs)));
                                List<PeerId> sent = new ArrayList<>();
                                for (KadPeer p : r.closest()) {
                                    actions.add(
                                            new KadAction.SendRequest(
                                                    k.nextId++, p.id(), p.addrs(), add, false));
                                    k.requestsOut++;
                                    sent.add(p.id());
                                }
                                announcing--;
                                a.done.complete(new ProvideResult(sent, r.queried(), r.timedOut()));
                                startAnnounces();
                            });
        }
    }

    /** Announces again what is due for republishing at {@code now}. */
    void republish(long now) {
        if (now < republishDue) {
            return;
        }
        // Scanned only when something is due: nodes may provide every block they store.
        List<byte[]> due = new ArrayList<>();
        republishDue = Long.MAX_VALUE;
        for (Provided p : provided.values()) {
            if (p.nextAt <= now) {
                p.nextAt = now + cfg.republishInterval().toMillis();
                due.add(p.key);
            }
            republishDue = Math.min(republishDue, p.nextAt);
        }
        due.forEach(this::announce);
    }

    /** When {@link #republish} next has something to do (Long.MAX_VALUE: nothing provided). */
    long republishDue() {
        return republishDue;
    }

    /** Keys we provide. */
    int provided() {
        return provided.size();
    }

    /** Announcements waiting for a slot. */
    int queued() {
        return announceQueue.size();
    }
}
