package io.ipdm.mesh.identity;

import io.ipdm.mesh.protobuf.ProtoReader;
import io.ipdm.mesh.protobuf.ProtoWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * A libp2p public key: {@code message PublicKey { required KeyType Type = 1; required bytes Data =
 * 2; }}. Any key type can be carried and hashed into a peer id; only Ed25519 signatures can be
 * verified.
 */
public final class PublicKey {
    /** Bound on a decoded key, to reject absurd input early (RSA-4096 keys are ~550 bytes). */
    public static final int MAX_ENCODED_LENGTH = 2048;

    private static final byte[] ED25519_X509_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    private static final ThreadLocal<Signature> VERIFIER =
            ThreadLocal.withInitial(
                    () -> {
                        try {
                            return Signature.getInstance("Ed25519");
                        } catch (GeneralSecurityException e) {
                            throw new IllegalStateException("the JDK lacks Ed25519", e);
                        }
                    });

    private final KeyType type;
    private final byte[] data;
    private volatile java.security.PublicKey jdkKey;

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
        try {
            Signature s = VERIFIER.get();
            s.initVerify(toJdkKey());
            s.update(message);
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IdentityException("Ed25519 verification failed: " + e.getMessage(), e);
        }
    }

    java.security.PublicKey toJdkKey() throws GeneralSecurityException {
        java.security.PublicKey k = jdkKey;
        if (k == null) {
            k = decodeJdkKey();
            jdkKey = k;
        }
        return k;
    }

    private java.security.PublicKey decodeJdkKey() throws GeneralSecurityException {
        byte[] x509 = Arrays.copyOf(ED25519_X509_PREFIX, ED25519_X509_PREFIX.length + 32);
        System.arraycopy(data, 0, x509, ED25519_X509_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    }

    static byte[] rawFromJdk(java.security.PublicKey key) {
        byte[] enc = key.getEncoded();
        return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
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
