package io.ipdm.mesh.identity;

import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 identity key. The libp2p PrivateKey protobuf carries 64 bytes for Ed25519: the 32-byte
 * seed followed by the 32-byte public key.
 *
 * <p>Signing uses Bouncy Castle's RFC 8032 code: the JDK's Ed25519 costs ~0.9 ms of CPU per
 * signature, which made signing and verifying the bottleneck of the whole gossipsub mesh.
 */
public final class Ed25519KeyPair {
    private final byte[] seed;
    private final byte[] publicRaw;
    private final PublicKey publicKey;

    private Ed25519KeyPair(byte[] seed) {
        if (seed.length != 32) {
            throw new IdentityException("Ed25519 seed must be 32 bytes, got " + seed.length);
        }
        this.seed = seed.clone();
        this.publicRaw = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(this.seed, 0, publicRaw, 0);
        this.publicKey = new PublicKey(KeyType.ED25519, publicRaw);
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
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, publicRaw, 0, message, 0, message.length, sig, 0);
        return sig;
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
}
