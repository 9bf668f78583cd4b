package io.ipdm.lakes.gateway;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/** Open connections per client address and in all, against {@link GatewayLimits}. Thread-safe. */
final class ConnectionLimiter {
    private final int perClient;
    private final int total;
    private final Map<InetAddress, Integer> open = new HashMap<>();
    private int all;

    ConnectionLimiter(int perClient, int total) {
        this.perClient = perClient;
        this.total = total;
    }

    /** Takes a slot for {@code client}; false (nothing taken) when it or the server is full. */
    synchronized boolean tryAcquire(InetAddress client) {
        int n = open.getOrDefault(client, 0);
        if (n >= perClient || all >= total) {
            return false;
        }
        open.put(client, n + 1);
        all++;
        return true;
    }

    synchronized void release(InetAddress client) {
        Integer n = open.get(client);
        if (n == null) {
            return;
        }
        if (n == 1) {
            open.remove(client);
        } else {
            open.put(client, n - 1);
        }
        all--;
    }

    synchronized int open(InetAddress client) {
        return open.getOrDefault(client, 0);
    }
}
