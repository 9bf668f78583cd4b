package io.ipdm.mesh.transport;

/**
 * WebSocket transport limits, fixed at construction.
 *
 * @param maxFrameBytes largest payload of one WebSocket frame read (a larger one closes the
 *     connection with status 1009); frames we write carry at most this much too
 * @param maxMessageBytes largest message read, summed over its continuation frames (the bytes pass
 *     on as they arrive; the limit stops a peer that never ends a message)
 * @param maxHandshakeBytes largest HTTP upgrade request or response (request line or status line,
 *     headers and body)
 */
public record WebSocketConfig(int maxFrameBytes, int maxMessageBytes, int maxHandshakeBytes) {
    /** A Noise frame with its length prefix (65537 bytes) must fit into one WebSocket frame. */
    static final int MIN_FRAME_BYTES = 65537;

    public WebSocketConfig {
        if (maxFrameBytes < MIN_FRAME_BYTES) {
            throw new IllegalArgumentException(
                    "maxFrameBytes must be at least "
                            + MIN_FRAME_BYTES
                            + " (one Noise frame), got "
                            + maxFrameBytes);
        }
        if (maxMessageBytes < maxFrameBytes) {
            throw new IllegalArgumentException(
                    "maxMessageBytes ("
                            + maxMessageBytes
                            + ") must be at least maxFrameBytes ("
                            + maxFrameBytes
                            + ")");
        }
        if (maxHandshakeBytes < 1024) {
            throw new IllegalArgumentException(
                    "maxHandshakeBytes must be at least 1024, got " + maxHandshakeBytes);
        }
    }

    /** 256 KiB frames, 1 MiB messages, 8 KiB handshakes. */
    public static WebSocketConfig defaults() {
        return new WebSocketConfig(256 * 1024, 1024 * 1024, 8 * 1024);
    }
}
