package io.ipdm.lakes.replication;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.bitswap.BitswapNetwork;
import io.ipdm.lakes.bitswap.BitswapSession;
import io.ipdm.lakes.policy.ReplicationPolicy;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.multiformats.Cid;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps replicas of DAGs on this node by pulling them over Bitswap. {@link #replicate} fetches
 * every block of a root's DAG this lake lacks from connected peers (each block verified against its
 * CID), stores and pins it; {@link #repair} does it again for every root replicated so far, so
 * blocks lost locally come back. Which nodes should hold a root follows the {@link
 * ReplicationPolicy}: the configured factor (more for popular roots) of the nodes closest to it by
 * XOR distance of SHA-256(peer id) and SHA-256(CID), as in Kademlia ({@link #responsiblePeers},
 * {@link #isResponsible}). Methods block on the network; call them off the mesh event loop.
 */
public final class Replicator {
    /**
     * What one replicate or repair did.
     *
     * @param fetched blocks fetched from peers
     * @param holders the other connected nodes responsible for the roots, closest first
     */
    public record Report(int fetched, List<PeerId> holders) {}

    /** Wants kept in flight while a DAG is fetched. */
    private static final int PARALLEL_WANTS = 32;

    private final TieredStore store;
    private final BitswapNetwork bitswap;
    private final ReplicationPolicy policy;
    private final Duration timeout;
    private final Map<Cid, Boolean> roots = new ConcurrentHashMap<>();

    public Replicator(
            TieredStore store, BitswapNetwork bitswap, ReplicationPolicy policy, Duration timeout) {
        this.store = store;
        this.bitswap = bitswap;
        this.policy = policy;
        this.timeout = timeout;
    }

    /** Fetches what this lake lacks of {@code root}'s DAG and pins the root here. */
    public Report replicate(Cid root) {
        Report r = sync(root);
        store.pin(root);
        roots.put(root, Boolean.TRUE);
        return r;
    }

    /** Fetches back every block lost from the DAGs replicated so far. */
    public Report repair() {
        int fetched = 0;
        List<PeerId> holders = new ArrayList<>();
        for (Cid root : roots.keySet()) {
            Report r = sync(root);
            fetched += r.fetched();
            r.holders().stream().filter(p -> !holders.contains(p)).forEach(holders::add);
        }
        return new Report(fetched, holders);
    }

    /** The connected peers responsible for {@code cid} besides this node, closest first. */
    public List<PeerId> responsiblePeers(Cid cid) {
        int want = policy.desiredReplicas(cid) - 1;
        return closest(cid).stream()
                .filter(p -> !p.equals(bitswap.host().peerId()))
                .limit(Math.max(0, want))
                .toList();
    }

    /**
     * Whether this node is among the nodes (itself and its connected peers) that keep {@code cid}.
     */
    public boolean isResponsible(Cid cid) {
        return closest(cid).stream()
                .limit(policy.desiredReplicas(cid))
                .anyMatch(p -> p.equals(bitswap.host().peerId()));
    }

    private List<PeerId> closest(Cid cid) {
        byte[] key = sha256(cid.toBytes());
        List<PeerId> all = new ArrayList<>();
        all.add(bitswap.host().peerId());
        bitswap.host().connections().stream()
                .filter(Connection::isOpen)
                .map(Connection::remotePeer)
                .forEach(all::add);
        all.sort(Comparator.comparing(p -> new Distance(key, p)));
        return all;
    }

    private Report sync(Cid root) {
        List<Block> got = new ArrayList<>();
        BitswapSession.DagResult r;
        try (BitswapSession s = bitswap.session(List.of())) {
            r = s.fetchDag(root, store, got::add, PARALLEL_WANTS, timeout);
        } catch (LakesException e) {
            store.putAll(got); // what arrived is verified; keep it for the next repair
            throw new LakesException("cannot replicate " + root + ": " + e.getMessage(), e);
        }
        store.putAll(got);
        bitswap.blocksAdded(got.stream().map(Block::cid).toList());
        return new Report(r.fetched(), responsiblePeers(root));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** XOR distance between a key and a peer's SHA-256 id, compared as an unsigned integer. */
    private record Distance(byte[] key, PeerId peer) implements Comparable<Distance> {
        @Override
        public int compareTo(Distance o) {
            byte[] a = sha256(peer.toBytes());
            byte[] b = sha256(o.peer.toBytes());
            for (int i = 0; i < a.length; i++) {
                int x = (a[i] ^ key[i]) & 0xFF;
                int y = (b[i] ^ key[i]) & 0xFF;
                if (x != y) {
                    return Integer.compare(x, y);
                }
            }
            return 0;
        }
    }
}
