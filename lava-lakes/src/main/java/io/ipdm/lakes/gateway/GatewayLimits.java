package io.ipdm.lakes.gateway;

import io.ipdm.lakes.LakesException;
import java.time.Duration;

/**
 * What one client may cost the gateway. A request must arrive whole (request line and headers)
 * within {@code requestTimeout} of its first byte, or of the connection opening; a kept-alive
 * connection with no request for {@code idleTimeout} is closed; a response the client does not read
 * for {@code writeTimeout} ends the connection. Request lines and header sections over their limits
 * get 414 and 431; more than {@code connectionsPerClient} open connections from one IP, or {@code
 * maxConnections} in all, get 429 and are closed. {@code workers} threads read blocks, with up to
 * {@code queuedRequests} waiting (then 503).
 */
public record GatewayLimits(
        Duration requestTimeout,
        Duration idleTimeout,
        Duration writeTimeout,
        int maxRequestLineBytes,
        int maxHeaderBytes,
        int connectionsPerClient,
        int maxConnections,
        int workers,
        int queuedRequests) {
    public static final GatewayLimits DEFAULT =
            new GatewayLimits(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(60),
                    8192,
                    16384,
                    32,
                    1024,
                    8,
                    256);

    public GatewayLimits {
        for (Duration d : new Duration[] {requestTimeout, idleTimeout, writeTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new LakesException("gateway timeouts must be positive, got " + d);
            }
        }
        if (maxRequestLineBytes < 64
                || maxHeaderBytes < 256
                || connectionsPerClient < 1
                || maxConnections < connectionsPerClient
                || workers < 1
                || queuedRequests < 0) {
            throw new LakesException(
                    "gateway limits out of range: request line >= 64 bytes, headers >= 256 bytes,"
                            + " connections per client >= 1 and <= max connections, workers >= 1,"
                            + " queued requests >= 0");
        }
    }

    public GatewayLimits withTimeouts(Duration request, Duration idle, Duration write) {
        return new GatewayLimits(
                request,
                idle,
                write,
                maxRequestLineBytes,
                maxHeaderBytes,
                connectionsPerClient,
                maxConnections,
                workers,
                queuedRequests);
    }

    public GatewayLimits withConnections(int perClient, int total) {
        return new GatewayLimits(
                requestTimeout,
                idleTimeout,
                writeTimeout,
                maxRequestLineBytes,
                maxHeaderBytes,
                perClient,
                total,
                workers,
                queuedRequests);
    }
}
