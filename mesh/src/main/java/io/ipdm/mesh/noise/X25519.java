package io.ipdm.mesh.noise;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/** Raw 32-byte X25519 (RFC 7748) on top of the JDK's XDH provider. */
final class X25519 {
    private static final byte[] BASE_POINT = new byte[32];

    static {
        BASE_POINT[0] = 9;
    }

    private X25519() {}

    static byte[] generatePrivate(SecureRandom random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return k;
    }

    static byte[] publicKey(byte[] privateKey) {
        return dh(privateKey, BASE_POINT);
    }

    static byte[] dh(byte[] privateKey, byte[] publicKey) {
        try {
            KeyFactory kf = KeyFactory.getInstance("XDH");
            var priv =
                    kf.generatePrivate(
                            new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
            var pub =
                    kf.generatePublic(
                            new XECPublicKeySpec(NamedParameterSpec.X25519, toU(publicKey)));
            KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(priv);
            ka.doPhase(pub, true);
            return ka.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new NoiseException("X25519 key agreement failed: " + e.getMessage(), e);
        }
    }

    /** Little-endian u-coordinate with the top bit masked, as RFC 7748 section 5 requires. */
    private static BigInteger toU(byte[] le) {
        if (le.length != 32) {
            throw new NoiseException("X25519 public key must be 32 bytes, got " + le.length);
        }
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        be[0] &= 0x7F;
        return new BigInteger(1, be);
    }
}
