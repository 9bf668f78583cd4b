package io.ipdm.lakes.durability;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.kad.KadKey;
import io.ipdm.multiformats.Cid;
import java.util.HashMap;
import java.util.Map;

/**
 * Where peers and roots sit in the Kademlia key space ({@link KadKey}: sha256 of a peer id's bytes,
 * of a CID's multihash, as the DHT's provider records use), remembered because responsibility asks
 * for the same keys again and again. A key is a pure function of its id, so engines driven by one
 * thread (the simulator's thousand) may share one instance. Not thread-safe.
 */
public final class KeySpace {
    private final Map<PeerId, KadKey> peers = new HashMap<>();
    private final Map<Cid, KadKey> roots = new HashMap<>();

    public KadKey of(PeerId p) {
        KadKey k = peers.get(p);
        if (k == null) {
            k = KadKey.of(p);
            peers.put(p, k);
        }
        return k;
    }

    public KadKey of(Cid root) {
        KadKey k = roots.get(root);
        if (k == null) {
            k = KadKey.of(root.multihash().toBytes());
            roots.put(root, k);
        }
        return k;
    }
}
