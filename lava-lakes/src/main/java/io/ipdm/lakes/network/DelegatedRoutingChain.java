package io.ipdm.lakes.network;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's own routing (its DHT) and delegated routers asked side by side: a provider lookup asks
 * all of them at once (each on its own virtual thread, each bounded by the lookup's timeout) and
 * merges the providers by peer, the node's own routing first. A provider that came without
 * addresses is looked up at the routers' {@code /routing/v1/peers/}. A router that fails is logged
 * with its URL and status and the others' answers are used; announcing and status are the node's
 * own routing's.
 */
public final class DelegatedRoutingChain implements ContentRouting {
    private static final Logger LOG = LoggerFactory.getLogger(DelegatedRoutingChain.class);

    private final ContentRouting own;
    private final List<DelegatedRouting> routers;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param own the node's routing ({@link ContentRouting#NONE} to route only through {@code
     *     routers})
     */
    public DelegatedRoutingChain(ContentRouting own, List<DelegatedRouting> routers) {
        if (routers.isEmpty()) {
            throw new IllegalArgumentException("a delegated routing chain needs a router");
        }
        this.own = own;
        this.routers = List.copyOf(routers);
    }

    public List<DelegatedRouting> routers() {
        return routers;
    }

    @Override
    public Lookup findProviders(Cid cid, int max, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        List<Future<Lookup>> asked = new ArrayList<>();
        asked.add(threads.submit(() -> own.findProviders(cid, max, timeout)));
        for (DelegatedRouting r : routers) {
            asked.add(threads.submit(() -> r.findProviders(cid, max, timeout)));
        }
        Map<PeerId, Set<Multiaddr>> found = new LinkedHashMap<>();
        int queried = 0;
        for (int i = 0; i < asked.size(); i++) {
            Future<Lookup> f = asked.get(i);
            String who = i == 0 ? "the DHT" : routers.get(i - 1).url().toString();
            try {
                // each source bounds itself by timeout; the grace covers its last reply
                Lookup l =
                        f.get(
                                Math.max(0, end - System.nanoTime()) + 2_000_000_000L,
                                TimeUnit.NANOSECONDS);
                queried += l.peersQueried();
                for (Provider p : l.providers()) {
                    found.computeIfAbsent(p.peer(), k -> new LinkedHashSet<>())
                            .addAll(p.addresses());
                }
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn(
                        "provider lookup of {} through {} failed: {}",
                        cid,
                        who,
                        e.getCause().getMessage());
            } catch (TimeoutException e) {
                f.cancel(true);
                LOG.warn("provider lookup of {} through {} timed out after {}", cid, who, timeout);
            }
        }
        List<Provider> out = new ArrayList<>();
        for (Map.Entry<PeerId, Set<Multiaddr>> e : found.entrySet()) {
            if (out.size() == max) {
                break;
            }
            List<Multiaddr> addrs = new ArrayList<>(e.getValue());
            if (addrs.isEmpty()) {
                addrs = addresses(e.getKey(), end);
            }
            out.add(new Provider(e.getKey(), addrs));
        }
        return new Lookup(out, queried);
    }

    /** A peer's addresses from the first router that knows them. */
    private List<Multiaddr> addresses(PeerId peer, long end) throws InterruptedException {
        for (DelegatedRouting r : routers) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                List<Multiaddr> a = r.findPeer(peer, Duration.ofNanos(left));
                if (!a.isEmpty()) {
                    return a;
                }
            } catch (DelegatedRouting.DelegatedRoutingException e) {
                LOG.warn("peer lookup of {} failed: {}", peer, e.getMessage());
            }
        }
        return List.of();
    }

    @Override
    public void provide(Cid cid) {
        own.provide(cid);
    }

    @Override
    public void stopProviding(Cid cid) {
        own.stopProviding(cid);
    }

    @Override
    public Status status() {
        return own.status();
    }
}
