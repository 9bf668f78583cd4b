package io.ipdm.lakes;

/**
 * Root of every error Lava Lakes raises: malformed input (bad CID, bad block, bad CAR), integrity
 * failures (a block whose bytes do not match its CID) and storage failures. Messages name the item
 * that is wrong.
 */
public class LakesException extends RuntimeException {
    public LakesException(String message) {
        super(message);
    }

    public LakesException(String message, Throwable cause) {
        super(message, cause);
    }
}
