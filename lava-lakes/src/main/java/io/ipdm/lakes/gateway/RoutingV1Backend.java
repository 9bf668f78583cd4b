package io.ipdm.lakes.gateway;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where {@link RoutingV1} gets its answers: a node's lake, its DHT and its peer store. Methods
 * block the calling gateway worker for at most about {@code timeout}.
 */
public interface RoutingV1Backend {
    /**
     * A record of the spec's {@code peer} schema.
     *
     * @param addrs where to dial it, without {@code /p2p/} (empty: unknown)
     * @param protocols what it speaks, e.g. {@code transport-bitswap} (empty: unknown)
     */
    record Peer(PeerId id, List<Multiaddr> addrs, List<String> protocols) {
        public Peer {
            if (id == null) {
                throw new IllegalArgumentException("a peer record needs a peer id");
            }
            addrs = List.copyOf(addrs);
            protocols = List.copyOf(protocols);
        }
    }

    /**
     * Up to {@code max} providers of {@code cid}, found within {@code timeout}: each handed to
     * {@code found} as soon as it is known (from any thread; a peer may come twice, e.g. from a
     * local record and then the network), returning when the lookup ends.
     */
    void providers(Cid cid, int max, Duration timeout, Consumer<Peer> found)
            throws InterruptedException;

    /** What is known of {@code peer} (at most one record), looked up within {@code timeout}. */
    List<Peer> peers(PeerId peer, Duration timeout) throws InterruptedException;

    /**
     * Up to {@code max} DHT servers closest to {@code key} (a multihash: a CID's, or a peer id),
     * found by a lookup within {@code timeout}.
     */
    List<Peer> closestPeers(byte[] key, int max, Duration timeout) throws InterruptedException;

    /** Whether {@link #resolveName} and {@link #publishName} work (the node runs a DHT). */
    boolean servesNames();

    /** {@code name}'s best valid record here or in the DHT, or null when there is none. */
    IpnsRecord resolveName(PeerId name, Duration timeout) throws InterruptedException;

    /**
     * Stores a verified record here and puts it to the DHT peers closest to its name.
     *
     * @throws io.ipdm.mesh.ipns.IpnsException when the record is refused (e.g. an older sequence
     *     than the one held) or the DHT fails
     */
    void publishName(IpnsRecord record, Duration timeout) throws InterruptedException;
}
