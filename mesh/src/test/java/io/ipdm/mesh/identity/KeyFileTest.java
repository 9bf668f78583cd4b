package io.ipdm.mesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
    @Test
    void createsThenReloadsTheSameIdentity(@TempDir Path dir) {
        Path file = dir.resolve("node/identity.key");
        Ed25519KeyPair first = KeyFile.loadOrCreate(file);
        Ed25519KeyPair second = KeyFile.loadOrCreate(file);
        assertThat(second.peerId()).isEqualTo(first.peerId());
    }

    @Test
    void rejectsAGarbageFileWithAHint(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.key");
        Files.write(file, new byte[] {0x08, 0x05});
        assertThatThrownBy(() -> KeyFile.load(file))
                .isInstanceOf(IdentityException.class)
                .hasMessage(
                        "key file "
                                + file
                                + " is not a libp2p Ed25519 PrivateKey protobuf (unknown libp2p key"
                                + " type 5 (known: 0-3)); delete it to generate a new identity");
    }
}
