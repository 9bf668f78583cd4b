package io.ipdm.lakes.network;

import io.ipdm.multiformats.Cid;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Who holds a block, and telling others what this node holds: the Kademlia DHT's provider records
 * in a running node. Implementations are thread-safe; {@link #findProviders} blocks the caller
 * (call it off network event loops).
 */
public interface ContentRouting {
    /** The answer of a provider lookup and how many peers were asked for it. */
    record Lookup(List<Provider> providers, int peersQueried) {
        public Lookup {
            providers = List.copyOf(providers);
        }
    }

    /** Routing table and provider store figures for {@code ipdm node status}. */
    record Status(int routingTableSize, List<Integer> bucketSizes, long providerRecords) {
        public Status {
            bucketSizes = List.copyOf(bucketSizes);
        }
    }

    /** Up to {@code max} providers of {@code cid} found within {@code timeout}. */
    Lookup findProviders(Cid cid, int max, Duration timeout) throws InterruptedException;

    /**
     * As {@link #findProviders(Cid, int, Duration)}, also handing each provider to {@code found} as
     * soon as it is known, from any thread (one whose address lookup outlives the lookup may still
     * come after this returns: a caller that must not see it drops it). This default hands them
     * over at the end.
     */
    default Lookup findProviders(Cid cid, int max, Duration timeout, Consumer<Provider> found)
            throws InterruptedException {
        Lookup l = findProviders(cid, max, timeout);
        l.providers().forEach(found);
        return l;
    }

    /**
     * Announces that this node provides {@code cid} (and keeps announcing it until {@link
     * #stopProviding} or closed).
     */
    void provide(Cid cid);

    /** Stops announcing {@code cid} (the node no longer holds it under its provide strategy). */
    void stopProviding(Cid cid);

    Status status();

    /** No routing: only the peers a read is given are asked. */
    ContentRouting NONE =
            new ContentRouting() {
                @Override
                public Lookup findProviders(Cid cid, int max, Duration timeout) {
                    return new Lookup(List.of(), 0);
                }

                @Override
                public void provide(Cid cid) {}

                @Override
                public void stopProviding(Cid cid) {}

                @Override
                public Status status() {
                    return new Status(0, List.of(), 0);
                }
            };
}
