package io.ipdm.mesh.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Persists a node identity as the libp2p PrivateKey protobuf (the same bytes go-/js-libp2p write),
 * readable by the owner only where the file system supports POSIX permissions.
 */
public final class KeyFile {
    private KeyFile() {}

    /**
     * Loads the key at {@code path}, or generates one and writes it there if the file does not
     * exist.
     */
    public static Ed25519KeyPair loadOrCreate(Path path) {
        if (Files.exists(path)) {
            return load(path);
        }
        Ed25519KeyPair kp = Ed25519KeyPair.generate();
        save(kp, path);
        return kp;
    }

    public static Ed25519KeyPair load(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + path, e);
        }
        try {
            return Ed25519KeyPair.fromProtobuf(bytes);
        } catch (IllegalArgumentException e) {
            throw new IdentityException(
                    "key file "
                            + path
                            + " is not a libp2p Ed25519 PrivateKey protobuf ("
                            + e.getMessage()
                            + "); delete it to generate a new identity",
                    e);
        }
    }

    public static void save(Ed25519KeyPair key, Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".key", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: keep the default permissions.
            }
            Files.write(tmp, key.toProtobuf());
            Files.move(
                    tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key file " + path, e);
        }
    }
}
