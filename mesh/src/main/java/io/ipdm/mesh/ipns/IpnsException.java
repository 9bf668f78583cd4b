package io.ipdm.mesh.ipns;

/** An IPNS record or name refused, with what is wrong. */
public final class IpnsException extends RuntimeException {
    public IpnsException(String message) {
        super(message);
    }
}
