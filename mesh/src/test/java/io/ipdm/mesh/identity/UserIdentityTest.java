package io.ipdm.mesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserIdentityTest {
    @Test
    void defaultIsIpdmHomeThenDotIpdmInTheHomeDirectory(@TempDir Path dir) {
        assertThat(UserIdentity.defaultPath(Map.of("IPDM_HOME", "/x/h"), dir))
                .isEqualTo(Path.of("/x/h/identity.key"));
        assertThat(UserIdentity.defaultPath(Map.of(), dir))
                .isEqualTo(dir.resolve(".ipdm/identity.key"));
    }

    @Test
    void createsOnFirstUseOwnerOnlyThenLoadsTheSameKey(@TempDir Path dir) throws IOException {
        UserIdentity first = UserIdentity.load(null, Map.of(), dir);
        assertThat(first.created()).isTrue();
        assertThat(first.file()).isEqualTo(dir.resolve(".ipdm/identity.key"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())))
                .isEqualTo("rw-------");
        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(first.file().getParent())))
                .isEqualTo("rwx------");
        UserIdentity again = UserIdentity.load(null, Map.of(), dir);
        assertThat(again.created()).isFalse();
        assertThat(again.peerId()).isEqualTo(first.peerId());
        // the node key format: a node.key loads as a user key and the other way round
        assertThat(KeyFile.load(first.file()).peerId()).isEqualTo(first.peerId());
    }

    @Test
    void explicitFileWinsAndADirectoryIsRefused(@TempDir Path dir) {
        Ed25519KeyPair node = KeyFile.loadOrCreate(dir.resolve("lake/node.key"));
        UserIdentity id =
                UserIdentity.load(dir.resolve("lake/node.key"), Map.of("IPDM_HOME", "/nope"), dir);
        assertThat(id.peerId()).isEqualTo(node.peerId());
        assertThatThrownBy(() -> UserIdentity.load(dir.resolve("lake"), Map.of(), dir))
                .isInstanceOf(IdentityException.class)
                .hasMessage(
                        "key file "
                                + dir.resolve("lake")
                                + " is a directory; give a file path (it is created when missing)");
    }
}
