package io.ipdm.lakes.network;

import io.ipdm.lakes.LakesException;

/**
 * A block neither this node nor any peer asked could provide before the deadline; the message says
 * how many peers were asked and how long the read waited.
 */
public final class BlockNotFoundException extends LakesException {
    public BlockNotFoundException(String message) {
        super(message);
    }
}
