package io.ipdm.mesh.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipdm.mesh.identity.Ed25519KeyPair;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class HandshakePayloadTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void fullXXWithLibp2pPayloadsAuthenticatesBothSides() {
        Ed25519KeyPair alice = Ed25519KeyPair.generate(random);
        Ed25519KeyPair bob = Ed25519KeyPair.generate(random);
        XXHandshake i =
                new XXHandshake(
                        true,
                        new byte[0],
                        XXHandshake.newPrivateKey(random),
                        XXHandshake.newPrivateKey(random));
        XXHandshake r =
                new XXHandshake(
                        false,
                        new byte[0],
                        XXHandshake.newPrivateKey(random),
                        XXHandshake.newPrivateKey(random));
        r.readMessage(i.writeMessage(new byte[0]));
        byte[] p2 =
                i.readMessage(r.writeMessage(HandshakePayload.create(bob, r.staticPublicKey())));
        assertThat(HandshakePayload.verify(p2, i.remoteStaticKey())).isEqualTo(bob.peerId());
        byte[] p3 =
                r.readMessage(i.writeMessage(HandshakePayload.create(alice, i.staticPublicKey())));
        assertThat(HandshakePayload.verify(p3, r.remoteStaticKey())).isEqualTo(alice.peerId());
    }

    @Test
    void rejectsASignatureOverAnotherStaticKey() {
        Ed25519KeyPair alice = Ed25519KeyPair.generate(random);
        byte[] payload = HandshakePayload.create(alice, new byte[32]);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThatThrownBy(() -> HandshakePayload.verify(payload, otherKey))
                .isInstanceOf(NoiseException.class)
                .hasMessage(
                        "noise handshake payload signature does not verify against the remote static key");
        assertThatThrownBy(() -> HandshakePayload.verify(new byte[] {0x0a, 0x05, 1}, otherKey))
                .hasMessage(
                        "invalid noise handshake payload: NoiseHandshakePayload: field 1 length 5 exceeds"
                                + " the 1 remaining bytes");
    }

    @Test
    void tamperedHandshakeMessageFailsWithBadMac() {
        XXHandshake i =
                new XXHandshake(
                        true,
                        new byte[0],
                        XXHandshake.newPrivateKey(random),
                        XXHandshake.newPrivateKey(random));
        XXHandshake r =
                new XXHandshake(
                        false,
                        new byte[0],
                        XXHandshake.newPrivateKey(random),
                        XXHandshake.newPrivateKey(random));
        r.readMessage(i.writeMessage(new byte[0]));
        byte[] m2 = r.writeMessage(new byte[] {1, 2, 3});
        m2[40] ^= 1;
        assertThatThrownBy(() -> i.readMessage(m2))
                .hasMessage("message authentication failed (bad MAC)");
    }
}
