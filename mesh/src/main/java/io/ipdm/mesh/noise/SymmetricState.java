package io.ipdm.mesh.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Noise SymmetricState (spec section 5.2) with SHA-256 and HKDF built from HMAC-SHA256. */
final class SymmetricState {
    static final int HASH_LEN = 32;

    private final CipherState cipher = new CipherState();
    private byte[] ck;
    private byte[] h;

    SymmetricState(String protocolName) {
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASH_LEN ? Arrays.copyOf(name, HASH_LEN) : sha256(name);
        ck = h.clone();
        cipher.initializeKey(null);
    }

    void mixKey(byte[] ikm) {
        byte[][] out = hkdf(ck, ikm);
        ck = out[0];
        cipher.initializeKey(out[1]);
    }

    void mixHash(byte[] data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(h);
            md.update(data);
            h = md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] encryptAndHash(byte[] plaintext) {
        byte[] c = cipher.encryptWithAd(h, plaintext);
        mixHash(c);
        return c;
    }

    byte[] decryptAndHash(byte[] ciphertext) {
        byte[] p = cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return p;
    }

    boolean hasKey() {
        return cipher.hasKey();
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    CipherState[] split() {
        byte[][] out = hkdf(ck, new byte[0]);
        CipherState c1 = new CipherState();
        c1.initializeKey(out[0]);
        CipherState c2 = new CipherState();
        c2.initializeKey(out[1]);
        return new CipherState[] {c1, c2};
    }

    private static byte[][] hkdf(byte[] chainingKey, byte[] ikm) {
        byte[] temp = hmac(chainingKey, ikm);
        byte[] out1 = hmac(temp, new byte[] {1});
        byte[] in2 = Arrays.copyOf(out1, HASH_LEN + 1);
        in2[HASH_LEN] = 2;
        byte[] out2 = hmac(temp, in2);
        return new byte[][] {out1, out2};
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
