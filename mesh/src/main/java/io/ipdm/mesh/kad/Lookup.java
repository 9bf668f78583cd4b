package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iterative lookup (spec, "Peer routing"): candidates ordered by distance to the target, each
 * waiting, in flight, answered or failed, with the hop at which it was learned. Driven by {@link
 * Kademlia}.
 */
final class Lookup {
    private static final Logger LOG = LoggerFactory.getLogger(Lookup.class);

    enum State {
        WAITING,
        INFLIGHT,
        SUCCEEDED,
        FAILED
    }

    static final class Candidate {
        final PeerId peer;
        List<Multiaddr> addrs;
        final int hop;
        State state = State.WAITING;

        Candidate(PeerId peer, List<Multiaddr> addrs, int hop) {
            this.peer = peer;
            this.addrs = addrs;
            this.hop = hop;
        }
    }

    final KadMessage.Type kind;
    final byte[] key;
    final KadKey target;
    private final int k;
    private final TreeMap<KadKey, Candidate> byDistance;
    private final Map<PeerId, Candidate> byPeer = new HashMap<>();
    private final LinkedHashMap<PeerId, KadPeer> providers = new LinkedHashMap<>();
    final CompletableFuture<LookupResult> future = new CompletableFuture<>();
    long started;
    long deadline;
    int inflight;
    int queried;
    int failedCount;
    int maxProviders = Integer.MAX_VALUE;
    int providerHop = -1;
    PeerId wantedPeer;
    KadPeer found;
    Consumer<KadPeer> onProvider;
    boolean done;

    /** GET_VALUE: the best valid record received so far (one key), and who sent it. */
    ValueRecords values;

    PeerId valueFrom;

    Lookup(KadMessage.Type kind, byte[] key, int k) {
        this.kind = kind;
        this.key = key;
        this.target = KadKey.of(key);
        this.k = k;
        this.byDistance = new TreeMap<>(target.byDistance());
    }

    void addCandidate(PeerId peer, List<Multiaddr> addrs, int hop) {
        Candidate c = byPeer.get(peer);
        if (c != null) {
            if (c.addrs.isEmpty() && !addrs.isEmpty()) {
                c.addrs = addrs;
            }
            return;
        }
        c = new Candidate(peer, addrs, hop);
        byPeer.put(peer, c);
        byDistance.put(KadKey.of(peer), c);
    }

    Iterable<Candidate> ordered() {
        return byDistance.values();
    }

    int hopOf(PeerId peer) {
        Candidate c = byPeer.get(peer);
        return c == null ? 0 : c.hop;
    }

    void succeeded(PeerId peer) {
        Candidate c = byPeer.get(peer);
        if (c != null && c.state == State.INFLIGHT) {
            c.state = State.SUCCEEDED;
            inflight--;
        }
    }

    void failed(PeerId peer) {
        Candidate c = byPeer.get(peer);
        if (c != null && c.state == State.INFLIGHT) {
            c.state = State.FAILED;
            inflight--;
            failedCount++;
        }
    }

    void addProvider(KadPeer p, int hop) {
        if (providers.containsKey(p.id())) {
            KadPeer known = providers.get(p.id());
            if (known.addrs().isEmpty() && !p.addrs().isEmpty()) {
                providers.put(p.id(), p);
            }
            return;
        }
        if (providers.size() >= maxProviders) {
            return;
        }
        providers.put(p.id(), p);
        if (providerHop < 0) {
            providerHop = hop;
        }
        if (onProvider != null) {
            try {
                onProvider.accept(p);
            } catch (RuntimeException e) { // the caller's bug must not break the lookup
                LOG.warn("provider callback failed for {}", p, e);
            }
        }
    }

    /** The lookup has what it was started for before converging. */
    boolean satisfied() {
        return found != null || providers.size() >= maxProviders;
    }

    LookupResult result(long now, boolean timedOut) {
        List<KadPeer> closest = new ArrayList<>(k);
        int deepest = 0;
        for (Candidate c : byDistance.values()) {
            if (c.state == State.SUCCEEDED) {
                closest.add(KadPeer.of(c.peer, c.addrs));
                deepest = Math.max(deepest, c.hop);
                if (closest.size() == k) {
                    break;
                }
            }
        }
        return new LookupResult(
                List.copyOf(providers.values()),
                closest,
                found,
                queried,
                failedCount,
                kind == KadMessage.Type.GET_PROVIDERS ? Math.max(providerHop, 0) : deepest,
                timedOut,
                Duration.ofMillis(now - started));
    }
}
