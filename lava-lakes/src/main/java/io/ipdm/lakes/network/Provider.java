package io.ipdm.lakes.network;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.util.List;

/**
 * A peer that may hold a block: its id and the addresses to dial it at (empty when it is already
 * connected or its addresses are unknown).
 */
public record Provider(PeerId peer, List<Multiaddr> addresses) {
    public Provider {
        if (peer == null) {
            throw new IllegalArgumentException("a provider needs a peer id");
        }
        addresses = List.copyOf(addresses);
    }

    /** A provider from a dialable address with {@code /p2p/<peer id>}. */
    public static Provider of(Multiaddr addr) {
        if (addr.peerId() == null) {
            throw new IllegalArgumentException(
                    "address " + addr + " needs a /p2p/<peer id> part so the peer can be checked");
        }
        return new Provider(addr.peerId(), List.of(addr));
    }
}
