package io.ipdm.mesh.riblt;

/** A coded-symbol stream broke a limit or is inconsistent (it can never decode). */
public class RibltException extends RuntimeException {
    public RibltException(String message) {
        super(message);
    }
}
