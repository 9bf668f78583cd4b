package io.ipdm.dataflow.cli;

import java.net.InetSocketAddress;

/**
 * Checks the host and port a command binds before it starts anything, so a port out of range or a
 * host that names no address is bad input named by its flag (exit 2), not a bind failure later.
 */
final class BindAddress {
    private BindAddress() {}

    /** What is wrong with {@code port} given as {@code flag}, or null. */
    static String portProblem(String flag, int port) {
        return port < 0 || port > 65535 ? flag + ": expected 0-65535, got " + port : null;
    }

    /** What is wrong with {@code host} given as {@code flag}, or null. */
    static String hostProblem(String flag, String host) {
        return new InetSocketAddress(host, 0).isUnresolved()
                ? flag
                        + ": '"
                        + host
                        + "' is not an address of this machine nor a name that resolves to one"
                        + " (e.g. 127.0.0.1, 0.0.0.0, localhost)"
                : null;
    }
}
