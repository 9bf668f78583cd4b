package io.ipdm.mesh.identity;

import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A libp2p public key: {@code message PublicKey { required KeyType Type = 1; required bytes Data =
 * 2; }}. Any key type can be carried and hashed into a peer id; only Ed25519 signatures can be
 * verified.
 */
public final class PublicKey {
    /** Bound on a decoded key, to reject absurd input early (RSA-4096 keys are ~550 bytes). */
    public static final int MAX_ENCODED_LENGTH = 2048;

    private final KeyType type;
    private final byte[] data;

    /**
     * Decoded curve points (or {@link #INVALID_POINT}) by key: decoding costs a field inversion,
     * and every message of an author carries the same key in a new object. Cleared when full.
     */
    private static final Map<PublicKey, Object> POINTS = new ConcurrentHashMap<>();

    private static final int MAX_POINTS = 10_000;
    private static final Object INVALID_POINT = new Object();

    public PublicKey(KeyType type, byte[] data) {
        if (type == KeyType.ED25519 && data.length != 32) {
            throw new IdentityException("Ed25519 public key must be 32 bytes, got " + data.length);
        }
        this.type = type;
        this.data = data.clone();
    }

    public KeyType type() {
        return type;
    }

    public byte[] data() {
        return data.clone();
    }

    /** The deterministic protobuf encoding used for peer ids and handshake payloads. */
    public byte[] toProtobuf() {
        return new ProtoWriter().uint64(1, type.number()).bytes(2, data).toByteArray();
    }

    public static PublicKey fromProtobuf(byte[] encoded) {
        if (encoded.length > MAX_ENCODED_LENGTH) {
            throw new IdentityException(
                    "public key protobuf is "
                            + encoded.length
                            + " bytes, limit "
                            + MAX_ENCODED_LENGTH);
        }
        ProtoReader r = new ProtoReader(encoded, "PublicKey");
        KeyType type = null;
        byte[] data = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> type = KeyType.of(r.uint64());
                case 2 -> data = r.bytes();
                default -> r.skip();
            }
        }
        if (type == null || data == null) {
            throw new IdentityException("PublicKey protobuf lacks its Type or Data field");
        }
        return new PublicKey(type, data);
    }

    public PeerId toPeerId() {
        return PeerId.fromPublicKey(this);
    }

    /** Verifies an Ed25519 signature; returns false for a bad signature. */
    public boolean verify(byte[] message, byte[] signature) {
        if (type != KeyType.ED25519) {
            throw new IdentityException(
                    "verifying " + type + " signatures is not supported; only Ed25519 keys are");
        }
        if (signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        Object p = POINTS.get(this);
        if (p == null) {
            p = Ed25519.validatePublicKeyPartialExport(data, 0);
            p = p == null ? INVALID_POINT : p;
            if (POINTS.size() >= MAX_POINTS) {
                POINTS.clear();
            }
            POINTS.put(this, p);
        }
        return p != INVALID_POINT
                && Ed25519.verify(
                        signature, 0, (Ed25519.PublicPoint) p, message, 0, message.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && k.type == type && Arrays.equals(k.data, data);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(data);
    }
}
