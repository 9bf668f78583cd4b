package io.ipdm.mesh.identity;

import io.ipdm.multiformats.Base58;
import io.ipdm.multiformats.Multibase;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Multihash;
import io.ipdm.multiformats.Varint;
import java.util.Arrays;

/**
 * A peer id (peer-ids spec): the multihash of the protobuf-encoded public key, identity-hashed when
 * that encoding is at most 42 bytes (Ed25519), sha2-256 otherwise. Text forms: base58btc of the
 * multihash ("12D3KooW...", "Qm...") and a CIDv1 with the {@code libp2p-key} codec (0x72) in base32
 * ("bafz...").
 */
public final class PeerId implements Comparable<PeerId> {
    public static final int LIBP2P_KEY_CODEC = 0x72;
    private static final int MAX_INLINE_KEY_LENGTH = 42;

    private final byte[] bytes;
    private final int hash;

    private PeerId(byte[] multihashBytes) {
        this.bytes = multihashBytes;
        this.hash = Arrays.hashCode(multihashBytes);
    }

    public static PeerId fromPublicKey(PublicKey key) {
        byte[] encoded = key.toProtobuf();
        Multihash mh =
                encoded.length <= MAX_INLINE_KEY_LENGTH
                        ? Multihash.identity(encoded)
                        : Multihash.sha2_256(encoded);
        return new PeerId(mh.toBytes());
    }

    /**
     * Parses the multihash bytes of a peer id; only identity and sha2-256 multihashes are valid.
     */
    public static PeerId fromBytes(byte[] multihashBytes) {
        Multihash mh;
        try {
            mh = Multihash.decode(multihashBytes);
        } catch (MultiformatException e) {
            throw new IdentityException("invalid peer id: " + e.getMessage(), e);
        }
        if (mh.code() != Multihash.IDENTITY && mh.code() != Multihash.SHA2_256) {
            throw new IdentityException(
                    "invalid peer id: multihash code 0x"
                            + Integer.toHexString(mh.code())
                            + " (must be identity or sha2-256)");
        }
        if (mh.code() == Multihash.IDENTITY) {
            PublicKey.fromProtobuf(mh.digest()); // an inlined key must parse
        }
        return new PeerId(multihashBytes.clone());
    }

    /** Parses base58btc ("12D3KooW...", "Qm...") or a multibase CIDv1 with codec libp2p-key. */
    public static PeerId parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IdentityException("empty peer id");
        }
        try {
            if (text.startsWith("1") || text.startsWith("Qm")) {
                return fromBytes(Base58.decode(text));
            }
            byte[] cid = Multibase.decode(text);
            Varint.Decoded version = Varint.read(cid, 0);
            if (version.value() != 1) {
                throw new IdentityException(
                        "peer id CID must be version 1, got " + version.value() + ": " + text);
            }
            Varint.Decoded codec = Varint.read(cid, version.length());
            if (codec.value() != LIBP2P_KEY_CODEC) {
                throw new IdentityException(
                        "peer id CID must have codec libp2p-key (0x72), got 0x"
                                + Long.toHexString(codec.value())
                                + ": "
                                + text);
            }
            return fromBytes(
                    Arrays.copyOfRange(cid, version.length() + codec.length(), cid.length));
        } catch (MultiformatException e) {
            throw new IdentityException("invalid peer id '" + text + "': " + e.getMessage(), e);
        }
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The public key when it is inlined (identity multihash), else null. */
    public PublicKey inlinedPublicKey() {
        Multihash mh = Multihash.decode(bytes);
        return mh.code() == Multihash.IDENTITY ? PublicKey.fromProtobuf(mh.digest()) : null;
    }

    /** True when {@code key} hashes to this peer id. */
    public boolean matches(PublicKey key) {
        return equals(fromPublicKey(key));
    }

    public String toBase58() {
        return Base58.encode(bytes);
    }

    public String toCidString() {
        byte[] cid = new byte[2 + bytes.length];
        cid[0] = 0x01;
        cid[1] = (byte) LIBP2P_KEY_CODEC;
        System.arraycopy(bytes, 0, cid, 2, bytes.length);
        return Multibase.BASE32.encode(cid);
    }

    @Override
    public String toString() {
        return toBase58();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId p && p.hash == hash && Arrays.equals(p.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(PeerId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
