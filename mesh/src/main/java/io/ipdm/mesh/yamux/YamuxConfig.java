package io.ipdm.mesh.yamux;

/**
 * Yamux limits, fixed at construction.
 *
 * @param initialWindow receive window per stream (the spec's default is 256 KiB)
 * @param maxStreams most streams open at once per session; further SYNs are answered with RST
 * @param maxFrameData largest data payload written per frame
 * @param maxPendingWrite bytes a stream may queue while the peer's window is closed before it is
 *     reset
 * @param maxUnconsumed the connection's receive budget: bytes the peer sent that no consumer has
 *     consumed yet, summed over its streams (data held by paused streams, and data a handler
 *     {@linkplain YamuxStream#hold holds} for later work). Reading from the socket stops at half of
 *     it and restarts at a quarter; a paused stream whose waiting data takes the total past it is
 *     reset and the peer reported as misbehaving
 */
public record YamuxConfig(
        int initialWindow,
        int maxStreams,
        int maxFrameData,
        int maxPendingWrite,
        long maxUnconsumed) {
    public static final int DEFAULT_WINDOW = 256 * 1024;

    public YamuxConfig {
        if (initialWindow < DEFAULT_WINDOW) {
            throw new IllegalArgumentException(
                    "initialWindow must be at least 256 KiB (the spec's default)");
        }
        if (maxStreams < 1 || maxFrameData < 1 || maxPendingWrite < 1) {
            throw new IllegalArgumentException("yamux limits must be positive");
        }
        if (maxUnconsumed < 2L * initialWindow) {
            throw new IllegalArgumentException(
                    "maxUnconsumed must be at least two receive windows ("
                            + 2L * initialWindow
                            + " bytes), got "
                            + maxUnconsumed);
        }
    }

    /** The limits with the default receive budget, 8 MiB. */
    public YamuxConfig(int initialWindow, int maxStreams, int maxFrameData, int maxPendingWrite) {
        this(initialWindow, maxStreams, maxFrameData, maxPendingWrite, 8L * 1024 * 1024);
    }

    public static YamuxConfig defaults() {
        return new YamuxConfig(DEFAULT_WINDOW, 512, 64 * 1024, 16 * 1024 * 1024);
    }

    /** Unconsumed bytes at which the session stops reading from the socket. */
    long readPauseAt() {
        return maxUnconsumed / 2;
    }

    /** Unconsumed bytes at which a session that stopped reading reads again. */
    long readResumeAt() {
        return maxUnconsumed / 4;
    }
}
