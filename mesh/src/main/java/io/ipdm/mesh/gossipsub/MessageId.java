package io.ipdm.mesh.gossipsub;

import java.util.Arrays;
import java.util.HexFormat;

/** A message id as raw bytes with value equality. */
public final class MessageId {
    private final byte[] bytes;
    private final int hash;

    public MessageId(byte[] bytes) {
        this.bytes = bytes.clone();
        this.hash = Arrays.hashCode(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] raw() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId m && m.hash == hash && Arrays.equals(m.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
