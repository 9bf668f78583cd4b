package io.ipdm.mesh.transport;

import io.ipdm.mesh.yamux.YamuxConfig;
import java.time.Duration;

/**
 * Transport limits.
 *
 * @param yamux stream multiplexer limits
 * @param handshakeTimeout time a new connection gets to finish security and muxer negotiation
 * @param maxConnections connections kept at once; inbound ones beyond it are closed at accept
 * @param maxNegotiationBytes bytes a stream may send before its protocol is agreed
 * @param webSocket limits of {@code /ws} connections
 */
public record TransportConfig(
        YamuxConfig yamux,
        Duration handshakeTimeout,
        int maxConnections,
        int maxNegotiationBytes,
        WebSocketConfig webSocket) {

    public TransportConfig {
        if (maxConnections < 1) {
            throw new IllegalArgumentException(
                    "maxConnections must be positive, got " + maxConnections);
        }
    }

    public static TransportConfig defaults() {
        return new TransportConfig(
                YamuxConfig.defaults(),
                Duration.ofSeconds(10),
                256,
                4096,
                WebSocketConfig.defaults());
    }

    public TransportConfig withMaxConnections(int max) {
        return new TransportConfig(yamux, handshakeTimeout, max, maxNegotiationBytes, webSocket);
    }

    public TransportConfig withWebSocket(WebSocketConfig ws) {
        return new TransportConfig(
                yamux, handshakeTimeout, maxConnections, maxNegotiationBytes, ws);
    }
}
