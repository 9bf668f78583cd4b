package io.ipdm.mesh.noise;

/** The Noise handshake or a transport message failed (bad MAC, bad identity, wrong state). */
public class NoiseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoiseException(String message) {
        super(message);
    }

    public NoiseException(String message, Throwable cause) {
        super(message, cause);
    }
}
