package io.ipdm.mesh.transport;

import io.ipdm.mesh.yamux.StreamHandler;
import io.ipdm.mesh.yamux.YamuxStream;

/**
 * Serves one protocol id on streams that peers open; called on the event loop after negotiation.
 */
@FunctionalInterface
public interface ProtocolHandler {
    /** Returns the handler that receives the stream's data from now on. */
    StreamHandler onStream(Connection connection, YamuxStream stream);
}
