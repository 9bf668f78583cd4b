package io.ipdm.mesh.yamux;

import io.netty.buffer.ByteBuf;

/**
 * Receives a stream's events on the connection's event loop. {@code data} is only valid during the
 * call (the session releases it afterwards); handlers copy what they keep.
 */
public interface StreamHandler {
    void onData(YamuxStream stream, ByteBuf data);

    /** The peer half-closed (FIN): no more data will arrive. */
    default void onRemoteClose(YamuxStream stream) {}

    /** The stream was reset by either side or the session closed. */
    default void onReset(YamuxStream stream) {}
}
