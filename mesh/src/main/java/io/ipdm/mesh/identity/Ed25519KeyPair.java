package io.ipdm.mesh.identity;

import io.ipdm.mesh.protobuf.ProtoReader;
import io.ipdm.mesh.protobuf.ProtoWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

/**
 * An Ed25519 identity key. The libp2p PrivateKey protobuf carries 64 bytes for Ed25519: the 32-byte
 * seed followed by the 32-byte public key.
 */
public final class Ed25519KeyPair {
    private static final byte[] PKCS8_PREFIX = {
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20
    };

    private final byte[] seed;
    private final PublicKey publicKey;
    private final PrivateKey jdkPrivate;

    private Ed25519KeyPair(byte[] seed) {
        if (seed.length != 32) {
            throw new IdentityException("Ed25519 seed must be 32 bytes, got " + seed.length);
        }
        this.seed = seed.clone();
        try {
            // The JDK derives the public key only while generating; feed it the seed as its
            // "randomness".
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(255, new FixedBytesRandom(this.seed));
            KeyPair kp = g.generateKeyPair();
            this.publicKey = new PublicKey(KeyType.ED25519, PublicKey.rawFromJdk(kp.getPublic()));
            byte[] pkcs8 = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + 32);
            System.arraycopy(this.seed, 0, pkcs8, PKCS8_PREFIX.length, 32);
            this.jdkPrivate =
                    KeyFactory.getInstance("Ed25519")
                            .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's Ed25519 provider failed", e);
        }
    }

    public static Ed25519KeyPair fromSeed(byte[] seed) {
        return new Ed25519KeyPair(seed);
    }

    public static Ed25519KeyPair generate(SecureRandom random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return new Ed25519KeyPair(seed);
    }

    public static Ed25519KeyPair generate() {
        return generate(new SecureRandom());
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public PeerId peerId() {
        return publicKey.toPeerId();
    }

    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(jdkPrivate);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /**
     * {@code message PrivateKey { required KeyType Type = 1; required bytes Data = 2; }}, Data =
     * seed||pub.
     */
    public byte[] toProtobuf() {
        byte[] data = Arrays.copyOf(seed, 64);
        System.arraycopy(publicKey.data(), 0, data, 32, 32);
        return new ProtoWriter().uint64(1, KeyType.ED25519.number()).bytes(2, data).toByteArray();
    }

    public static Ed25519KeyPair fromProtobuf(byte[] encoded) {
        ProtoReader r = new ProtoReader(encoded, "PrivateKey");
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
            throw new IdentityException("PrivateKey protobuf lacks its Type or Data field");
        }
        if (type != KeyType.ED25519) {
            throw new IdentityException("only Ed25519 private keys are supported, got " + type);
        }
        if (data.length != 64 && data.length != 32) {
            throw new IdentityException(
                    "Ed25519 private key data must be 64 bytes (seed and public key), got "
                            + data.length);
        }
        Ed25519KeyPair kp = new Ed25519KeyPair(Arrays.copyOf(data, 32));
        if (data.length == 64
                && !Arrays.equals(Arrays.copyOfRange(data, 32, 64), kp.publicKey.data())) {
            throw new IdentityException(
                    "Ed25519 private key's embedded public key does not match its seed");
        }
        return kp;
    }

    /** Returns fixed bytes once, for deterministic key derivation. */
    private static final class FixedBytesRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        FixedBytesRandom(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("unexpected request for " + out.length + " bytes");
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}
