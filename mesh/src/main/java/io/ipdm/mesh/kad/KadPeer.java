package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.util.List;

/**
 * A {@code Message.Peer} of the kad-dht protocol: a peer id, the addresses the sender knows for it
 * and whether the sender is connected to it.
 */
public record KadPeer(PeerId id, List<Multiaddr> addrs, Connectedness connection) {
    /** {@code Message.ConnectionType}. */
    public enum Connectedness {
        NOT_CONNECTED,
        CONNECTED,
        CAN_CONNECT,
        CANNOT_CONNECT
    }

    public KadPeer {
        addrs = List.copyOf(addrs);
    }

    public static KadPeer of(PeerId id, List<Multiaddr> addrs) {
        return new KadPeer(id, addrs, Connectedness.NOT_CONNECTED);
    }

    @Override
    public String toString() {
        return id + addrs.toString();
    }
}
