package io.ipdm.lakes.replication;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.lakes.policy.ReplicationPolicy;
import io.ipdm.lakes.store.TieredStore;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.transport.Connection;
import io.ipdm.mesh.transport.Host;
import io.ipdm.multiformats.Cid;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps DAGs on as many storage nodes as the {@link ReplicationPolicy} wants (the configured
 * factor, more for popular roots). The nodes responsible for a root are this one plus the connected
 * peers closest to it by XOR distance of SHA-256(peer id) and SHA-256(CID), as in Kademlia; each
 * gets every block of the DAG, the root pinned. {@link #repair} re-checks every replicated root:
 * blocks lost locally are fetched back from a holder (verified), and blocks a responsible peer lost
 * are pushed again. Methods block on the network; call them off the mesh event loop.
 */
public final class Replicator {
    /** What one replicate or repair did. */
    public record Report(int pushed, int fetched, List<PeerId> holders) {}

    private final TieredStore store;
    private final BlockExchange exchange;
    private final Host host;
    private final ReplicationPolicy policy;
    private final Map<Cid, Boolean> roots = new ConcurrentHashMap<>();

    public Replicator(
            TieredStore store, BlockExchange exchange, Host host, ReplicationPolicy policy) {
        this.store = store;
        this.exchange = exchange;
        this.host = host;
        this.policy = policy;
    }

    /** Pins {@code root} here and copies its DAG to the peers responsible for it. */
    public Report replicate(Cid root) {
        if (!store.has(root)) {
            throw new LakesException("cannot replicate " + root + ": it is not in this lake");
        }
        store.pin(root);
        roots.put(root, Boolean.TRUE);
        return sync(root);
    }

    /** Re-establishes the wanted replicas of every root replicated so far. */
    public Report repair() {
        int pushed = 0;
        int fetched = 0;
        List<PeerId> holders = new ArrayList<>();
        for (Cid root : roots.keySet()) {
            Report r = sync(root);
            pushed += r.pushed();
            fetched += r.fetched();
            r.holders().stream().filter(p -> !holders.contains(p)).forEach(holders::add);
        }
        return new Report(pushed, fetched, holders);
    }

    /** The connected peers responsible for {@code cid} besides this node, closest first. */
    public List<Connection> responsiblePeers(Cid cid) {
        int want = policy.desiredReplicas(cid) - 1;
        byte[] key = sha256(cid.toBytes());
        return host.connections().stream()
                .filter(Connection::isOpen)
                .sorted(Comparator.comparing(c -> new Distance(key, c.remotePeer())))
                .limit(Math.max(0, want))
                .toList();
    }

    private Report sync(Cid root) {
        List<Connection> peers = responsiblePeers(root);
        int[] fetched = {0};
        // local copy first: a block this node lost comes back from any peer that has it
        List<Block> dag = new ArrayList<>();
        BlockSource local =
                cid -> {
                    Block b = store.get(cid);
                    if (b == null) {
                        b = fetch(cid);
                        fetched[0] += b == null ? 0 : 1;
                    }
                    return b;
                };
        Links.walk(local, root, dag::add);
        int pushed = 0;
        for (Connection peer : peers) {
            for (Block b : dag) {
                if (b.cid().equals(root) || !exchange.has(peer, b.cid())) {
                    exchange.put(peer, b, b.cid().equals(root));
                    pushed += b.cid().equals(root) ? 0 : 1;
                }
            }
        }
        return new Report(pushed, fetched[0], peers.stream().map(Connection::remotePeer).toList());
    }

    private Block fetch(Cid cid) {
        for (Connection c : host.connections()) {
            Block b = exchange.want(c, cid);
            if (b != null) {
                store.put(b);
                return b;
            }
        }
        return null;
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
