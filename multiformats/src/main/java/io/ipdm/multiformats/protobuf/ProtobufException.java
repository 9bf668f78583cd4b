package io.ipdm.multiformats.protobuf;

import io.ipdm.multiformats.MultiformatException;

/**
 * A protobuf message is malformed or exceeds a limit; the message names the field and the problem.
 */
public class ProtobufException extends MultiformatException {
    private static final long serialVersionUID = 1L;

    public ProtobufException(String message) {
        super(message);
    }
}
