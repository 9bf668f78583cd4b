package io.ipdm.mesh.kad;

import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.util.List;

/** What {@link Kademlia} asks its network adapter to do; see {@link Kademlia#drainActions()}. */
public sealed interface KadAction {
    /**
     * Open a stream to {@code peer} (dialing one of {@code addrs} if not connected), send {@code
     * message}; if {@code expectResponse}, read one response and report it with {@link
     * Kademlia#onResponse} or {@link Kademlia#onRequestFailed} under {@code id}. Without a response
     * (ADD_PROVIDER), just send and close.
     */
    record SendRequest(
            long id, PeerId peer, List<Multiaddr> addrs, KadMessage message, boolean expectResponse)
            implements KadAction {}

    /** Close the connection to a peer that broke the protocol or its limits too often. */
    record Disconnect(PeerId peer, String reason) implements KadAction {}
}
