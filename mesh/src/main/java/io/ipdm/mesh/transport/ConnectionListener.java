package io.ipdm.mesh.transport;

/** Connection events, delivered on the host's event loop. */
public interface ConnectionListener {
    void onConnected(Connection connection);

    default void onDisconnected(Connection connection) {}
}
