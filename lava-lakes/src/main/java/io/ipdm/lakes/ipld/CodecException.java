package io.ipdm.lakes.ipld;

import io.ipdm.lakes.LakesException;

/** A block that does not decode under its codec, or a value its codec cannot encode. */
public class CodecException extends LakesException {
    public CodecException(String message) {
        super(message);
    }
}
