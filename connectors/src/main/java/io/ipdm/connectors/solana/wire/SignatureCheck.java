package io.ipdm.connectors.solana.wire;

import io.ipdm.mesh.identity.KeyType;
import io.ipdm.mesh.identity.PublicKey;

/**
 * Ed25519 verification of a Solana transaction signature: signature {@code i} is the signer {@code
 * i}'s (the first account keys) signature of the serialized message bytes (from the version prefix
 * or header through the last address table lookup). Uses the mesh's Ed25519 (one verifier in the
 * code base), which caches decoded public keys.
 */
public final class SignatureCheck {
    private SignatureCheck() {}

    /**
     * Whether {@code signature} (64 bytes) is {@code key}'s (32 bytes) signature of {@code
     * message}.
     */
    public static boolean verify(byte[] key, byte[] message, byte[] signature) {
        return key.length == 32
                && signature.length == 64
                && new PublicKey(KeyType.ED25519, key).verify(message, signature);
    }
}
