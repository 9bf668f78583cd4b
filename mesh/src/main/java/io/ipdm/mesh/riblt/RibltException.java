package io.ipdm.mesh.riblt;

/** A coded-symbol stream broke a limit or is inconsistent (it can never decode). */
public class RibltException extends RuntimeException {
    private final boolean invalidRecord;

    public RibltException(String message) {
        this(message, false);
    }

    /**
     * @param invalidRecord the peer sent a record that is forged or does not decode: no honest peer
     *     sends one (it validates what it stores), so the session's failure is held against it
     */
    public RibltException(String message, boolean invalidRecord) {
        super(message);
        this.invalidRecord = invalidRecord;
    }

    /** Whether the session failed because the peer sent a forged or undecodable record. */
    public boolean invalidRecord() {
        return invalidRecord;
    }
}
