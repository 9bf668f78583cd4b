package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.time.Instant;
import java.util.List;

/** A peer that announced it provides a key, and until when the announcement holds. */
public record ProviderRecord(PeerId provider, List<Multiaddr> addrs, Instant expires) {
    public ProviderRecord {
        addrs = List.copyOf(addrs);
    }

    public KadPeer toPeer() {
        return KadPeer.of(provider, addrs);
    }
}
