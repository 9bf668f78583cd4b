package io.ipdm.lakes.durability;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The proof of holding a block: {@code sha256(nonce || block bytes)}. The nonce is fresh per
 * challenge, so the answer cannot be precomputed or replayed: only a node with the bytes at hand
 * can give it.
 */
public final class Proofs {
    private Proofs() {}

    static byte[] sha256(byte[] data) {
        return proof(new byte[0], data);
    }

    public static byte[] proof(byte[] nonce, byte[] block) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(nonce);
            d.update(block);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
