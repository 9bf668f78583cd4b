package io.ipdm.connectors.lakes.faithful;

import io.ipdm.multiformats.Cid;
import java.util.Arrays;

/**
 * A CID by its binary form, for looking up the nodes a node links without parsing each link into a
 * {@link Cid} (binary CIDv1 is canonical, so equal bytes are equal CIDs).
 */
public final class CidKey {
    private final byte[] bytes;
    private final int hash;

    private CidKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The key of the binary CID in {@code buf[offset, offset + length)} (copied). */
    public static CidKey of(byte[] buf, int offset, int length) {
        return new CidKey(Arrays.copyOfRange(buf, offset, offset + length));
    }

    public static CidKey of(Cid cid) {
        return new CidKey(cid.toBytes());
    }

    public Cid cid() {
        return Cid.fromBytes(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return cid().toString();
    }
}
