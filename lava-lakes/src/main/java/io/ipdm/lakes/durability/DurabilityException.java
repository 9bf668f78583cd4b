package io.ipdm.lakes.durability;

import io.ipdm.lakes.LakesException;

/** Bad durability input: a malformed message or subscription, or a broken limit. */
public class DurabilityException extends LakesException {
    public DurabilityException(String message) {
        super(message);
    }
}
