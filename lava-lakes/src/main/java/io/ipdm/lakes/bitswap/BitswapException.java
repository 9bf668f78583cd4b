package io.ipdm.lakes.bitswap;

import io.ipdm.lakes.LakesException;

/**
 * A Bitswap failure: a malformed or oversized message from a peer (the message names the limit or
 * field), or a fetch that found no peer with the block before its deadline (the message says how
 * many peers were asked).
 */
public class BitswapException extends LakesException {
    public BitswapException(String message) {
        super(message);
    }

    public BitswapException(String message, Throwable cause) {
        super(message, cause);
    }
}
