package io.ipdm.mesh.noise;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise CipherState with ChaChaPoly (Noise spec section 5.1 and 12.3): a key and a 64-bit nonce
 * encoded as 32 zero bits followed by the little-endian counter. Not thread-safe; each direction
 * owns one.
 */
public final class CipherState {
    public static final int TAG_LENGTH = 16;

    private SecretKeySpec key;
    private long nonce;
    private final Cipher cipher;

    CipherState() {
        try {
            cipher = Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks ChaCha20-Poly1305", e);
        }
    }

    void initializeKey(byte[] k) {
        key = k == null ? null : new SecretKeySpec(k, "ChaCha20");
        nonce = 0;
    }

    public boolean hasKey() {
        return key != null;
    }

    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        return encryptWithAd(ad, plaintext, 0, plaintext.length);
    }

    public byte[] encryptWithAd(byte[] ad, byte[] plaintext, int offset, int length) {
        if (key == null) {
            return java.util.Arrays.copyOfRange(plaintext, offset, offset + length);
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, nextIv());
            if (ad != null) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(plaintext, offset, length);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * Encrypts all of {@code plaintext} (no associated data) into {@code out} at {@code offset},
     * which must have room for the plaintext and the tag.
     */
    public void encryptWithAd(byte[] plaintext, byte[] out, int offset) {
        if (key == null) {
            System.arraycopy(plaintext, 0, out, offset, plaintext.length);
            return;
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, nextIv());
            cipher.doFinal(plaintext, 0, plaintext.length, out, offset);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("encryption failed: " + e.getMessage(), e);
        }
    }

    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) {
        return decryptWithAd(ad, ciphertext, 0, ciphertext.length);
    }

    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext, int offset, int length) {
        if (key == null) {
            return java.util.Arrays.copyOfRange(ciphertext, offset, offset + length);
        }
        if (length < TAG_LENGTH) {
            throw new NoiseException("ciphertext of " + length + " bytes is shorter than its MAC");
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, nextIv());
            if (ad != null) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(ciphertext, offset, length);
        } catch (AEADBadTagException e) {
            throw new NoiseException("message authentication failed (bad MAC)", e);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("decryption failed: " + e.getMessage(), e);
        }
    }

    private IvParameterSpec nextIv() {
        if (nonce == -1L) {
            throw new NoiseException("nonce exhausted; the session must be re-established");
        }
        long n = nonce++;
        byte[] iv = new byte[12];
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (n >>> (8 * i));
        }
        return new IvParameterSpec(iv);
    }
}
