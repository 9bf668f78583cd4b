package io.ipdm.mesh.gossipsub;

import io.ipdm.mesh.identity.PeerId;

/**
 * Receives each valid message of a subscribed topic exactly once, on the host's event loop; must
 * not block.
 */
@FunctionalInterface
public interface MessageListener {
    void onMessage(PubSubMessage message, PeerId receivedFrom);
}
