package io.ipdm.mesh.noise;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.PublicKey;
import io.ipdm.multiformats.protobuf.ProtoReader;
import io.ipdm.multiformats.protobuf.ProtoWriter;
import io.ipdm.multiformats.protobuf.ProtobufException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The libp2p Noise handshake payload (noise spec, "The libp2p Handshake Payload"):
 *
 * <pre>
 * message NoiseHandshakePayload {
 *   bytes identity_key = 1;   // protobuf PublicKey
 *   bytes identity_sig = 2;   // sign("noise-libp2p-static-key:" || noise static public key)
 *   NoiseExtensions extensions = 4;
 * }
 * </pre>
 */
public final class HandshakePayload {
    private static final byte[] SIG_PREFIX =
            "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

    private HandshakePayload() {}

    public static byte[] create(Ed25519KeyPair identity, byte[] noiseStaticPublicKey) {
        return new ProtoWriter()
                .bytes(1, identity.publicKey().toProtobuf())
                .bytes(2, identity.sign(signedBytes(noiseStaticPublicKey)))
                .toByteArray();
    }

    /**
     * Checks the payload against the remote Noise static key; returns the authenticated remote peer
     * id.
     *
     * @throws NoiseException when the payload is malformed or its signature does not verify
     */
    public static PeerId verify(byte[] payload, byte[] remoteStaticKey) {
        byte[] key = null;
        byte[] sig = null;
        try {
            ProtoReader r = new ProtoReader(payload, "NoiseHandshakePayload");
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> key = r.bytes();
                    case 2 -> sig = r.bytes();
                    default -> r.skip();
                }
            }
            if (key == null || sig == null) {
                throw new NoiseException(
                        "noise handshake payload lacks identity_key or identity_sig");
            }
            PublicKey pk = PublicKey.fromProtobuf(key);
            if (!pk.verify(signedBytes(remoteStaticKey), sig)) {
                throw new NoiseException(
                        "noise handshake payload signature does not verify against the remote static key");
            }
            return pk.toPeerId();
        } catch (ProtobufException | IdentityException e) {
            throw new NoiseException("invalid noise handshake payload: " + e.getMessage(), e);
        }
    }

    private static byte[] signedBytes(byte[] staticKey) {
        byte[] b = Arrays.copyOf(SIG_PREFIX, SIG_PREFIX.length + staticKey.length);
        System.arraycopy(staticKey, 0, b, SIG_PREFIX.length, staticKey.length);
        return b;
    }
}
