package io.ipdm.mesh.yamux;

/**
 * Yamux limits, fixed at construction.
 *
 * @param initialWindow receive window per stream (the spec's default is 256 KiB)
 * @param maxStreams most streams open at once per session; further SYNs are answered with RST
 * @param maxFrameData largest data payload written per frame
 * @param maxPendingWrite bytes a stream may queue while the peer's window is closed before it is
 *     reset
 */
public record YamuxConfig(
        int initialWindow, int maxStreams, int maxFrameData, int maxPendingWrite) {
    public static final int DEFAULT_WINDOW = 256 * 1024;

    public YamuxConfig {
        if (initialWindow < DEFAULT_WINDOW) {
            throw new IllegalArgumentException(
                    "initialWindow must be at least 256 KiB (the spec's default)");
        }
        if (maxStreams < 1 || maxFrameData < 1 || maxPendingWrite < 1) {
            throw new IllegalArgumentException("yamux limits must be positive");
        }
    }

    public static YamuxConfig defaults() {
        return new YamuxConfig(DEFAULT_WINDOW, 512, 64 * 1024, 16 * 1024 * 1024);
    }
}
