package io.ipdm.mesh.noise;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The Noise XX handshake, {@code Noise_XX_25519_ChaChaPoly_SHA256}, as a three-message state
 * machine:
 *
 * <pre>
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 * </pre>
 *
 * Call {@link #writeMessage} and {@link #readMessage} alternately in pattern order; after the third
 * message {@link #split()} gives the transport cipher states. Pure logic: no I/O, no framing.
 */
public final class XXHandshake {
    public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    private static final int DH_LEN = 32;

    private final boolean initiator;
    private final SymmetricState ss;
    private final byte[] sPriv;
    private final byte[] sPub;
    private final byte[] ePriv;
    private byte[] ePub;
    private byte[] rs;
    private byte[] re;
    private int step;

    /**
     * @param staticPrivate this side's X25519 static key
     * @param ephemeralPrivate this side's X25519 ephemeral key (fresh random per handshake; fixed
     *     only in tests)
     */
    public XXHandshake(
            boolean initiator, byte[] prologue, byte[] staticPrivate, byte[] ephemeralPrivate) {
        this.initiator = initiator;
        this.ss = new SymmetricState(PROTOCOL_NAME);
        this.sPriv = staticPrivate.clone();
        this.sPub = X25519.publicKey(sPriv);
        this.ePriv = ephemeralPrivate.clone();
        ss.mixHash(prologue);
    }

    public static byte[] newPrivateKey(java.security.SecureRandom random) {
        return X25519.generatePrivate(random);
    }

    public static byte[] publicKeyOf(byte[] privateKey) {
        return X25519.publicKey(privateKey);
    }

    public boolean isInitiator() {
        return initiator;
    }

    /** True when this side writes the next message. */
    public boolean isMyTurn() {
        return (step % 2 == 0) == initiator;
    }

    public boolean isComplete() {
        return step == 3;
    }

    public byte[] staticPublicKey() {
        return sPub.clone();
    }

    /** The remote static key, known after message 2 (initiator) or 3 (responder). */
    public byte[] remoteStaticKey() {
        return rs == null ? null : rs.clone();
    }

    public byte[] handshakeHash() {
        return ss.handshakeHash();
    }

    public byte[] writeMessage(byte[] payload) {
        if (isComplete() || !isMyTurn()) {
            throw new NoiseException("not this side's turn to write (message " + (step + 1) + ")");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (step) {
            case 0 -> {
                writeE(out);
            }
            case 1 -> {
                writeE(out);
                ss.mixKey(X25519.dh(ePriv, re));
                out.writeBytes(ss.encryptAndHash(sPub));
                ss.mixKey(X25519.dh(sPriv, re));
            }
            case 2 -> {
                out.writeBytes(ss.encryptAndHash(sPub));
                ss.mixKey(X25519.dh(sPriv, re));
            }
            default -> throw new IllegalStateException();
        }
        out.writeBytes(ss.encryptAndHash(payload));
        step++;
        return out.toByteArray();
    }

    public byte[] readMessage(byte[] message) {
        if (isComplete() || isMyTurn()) {
            throw new NoiseException("not this side's turn to read (message " + (step + 1) + ")");
        }
        int pos = 0;
        int macLen = ss.hasKey() ? CipherState.TAG_LENGTH : 0;
        switch (step) {
            case 0 -> pos = readE(message, pos);
            case 1 -> {
                pos = readE(message, pos);
                ss.mixKey(X25519.dh(ePriv, re));
                pos = readS(message, pos);
                ss.mixKey(X25519.dh(ePriv, rs));
            }
            case 2 -> {
                pos = readS(message, pos);
                ss.mixKey(X25519.dh(ePriv, rs));
            }
            default -> throw new IllegalStateException();
        }
        if (message.length - pos < (ss.hasKey() ? CipherState.TAG_LENGTH : 0)) {
            throw new NoiseException(
                    "handshake message "
                            + (step + 1)
                            + " truncated ("
                            + message.length
                            + " bytes)");
        }
        byte[] payload = ss.decryptAndHash(Arrays.copyOfRange(message, pos, message.length));
        step++;
        return payload;
    }

    /** Transport ciphers: [0] for initiator-to-responder, [1] for responder-to-initiator. */
    public CipherState[] split() {
        if (!isComplete()) {
            throw new NoiseException("handshake not complete");
        }
        return ss.split();
    }

    private void writeE(ByteArrayOutputStream out) {
        ePub = X25519.publicKey(ePriv);
        out.writeBytes(ePub);
        ss.mixHash(ePub);
    }

    private int readE(byte[] m, int pos) {
        if (m.length - pos < DH_LEN) {
            throw new NoiseException(
                    "handshake message "
                            + (step + 1)
                            + " too short for an ephemeral key ("
                            + m.length
                            + " bytes)");
        }
        re = Arrays.copyOfRange(m, pos, pos + DH_LEN);
        ss.mixHash(re);
        return pos + DH_LEN;
    }

    private int readS(byte[] m, int pos) {
        int len = DH_LEN + (ss.hasKey() ? CipherState.TAG_LENGTH : 0);
        if (m.length - pos < len) {
            throw new NoiseException(
                    "handshake message "
                            + (step + 1)
                            + " too short for a static key ("
                            + m.length
                            + " bytes)");
        }
        rs = ss.decryptAndHash(Arrays.copyOfRange(m, pos, pos + len));
        return pos + len;
    }
}
