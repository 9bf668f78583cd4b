package io.ipdm.lakes.verify;

import io.ipdm.lakes.LakesException;

/**
 * An attestation or a row proof is malformed or does not check out; the message says which part.
 */
public class AttestationException extends LakesException {
    public AttestationException(String message) {
        super(message);
    }
}
