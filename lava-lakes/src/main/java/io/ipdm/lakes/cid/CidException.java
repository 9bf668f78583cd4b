package io.ipdm.lakes.cid;

import io.ipdm.lakes.LakesException;

/** A malformed multibase string, multihash, varint or CID. */
public class CidException extends LakesException {
    public CidException(String message) {
        super(message);
    }
}
