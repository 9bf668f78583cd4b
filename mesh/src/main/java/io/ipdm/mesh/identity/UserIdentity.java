package io.ipdm.mesh.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The key a user signs with on the command line (subscriptions, attestations, verdicts): the same
 * libp2p PrivateKey protobuf file as a node's {@code node.key} ({@link KeyFile}), so a node key can
 * serve as a user key and the other way round.
 *
 * <p>Where it lives: the path given ({@code --key FILE}), else {@code $IPDM_HOME/identity.key},
 * else {@code ~/.ipdm/identity.key}. A missing file is created on first use, readable by its owner
 * only (0600; its directory 0700 when this creates it).
 *
 * @param key the key pair
 * @param file where it was read from or written to
 * @param created whether this call generated it
 */
public record UserIdentity(Ed25519KeyPair key, Path file, boolean created) {
    public static final String FILE_NAME = "identity.key";

    /** {@code $IPDM_HOME/identity.key}, else {@code <home>/.ipdm/identity.key}. */
    public static Path defaultPath(Map<String, String> env, Path userHome) {
        String home = env.get("IPDM_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).resolve(FILE_NAME);
        }
        return userHome.resolve(".ipdm").resolve(FILE_NAME);
    }

    /** The key at {@code explicit}, or at the default path when null; created when missing. */
    public static UserIdentity load(Path explicit, Map<String, String> env, Path userHome) {
        Path file = explicit != null ? explicit : defaultPath(env, userHome);
        if (Files.isDirectory(file)) {
            throw new IdentityException(
                    "key file "
                            + file
                            + " is a directory; give a file path (it is created when missing)");
        }
        if (Files.exists(file)) {
            return new UserIdentity(KeyFile.load(file), file, false);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: keep the default permissions.
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create key directory " + dir, e);
            }
        }
        Ed25519KeyPair kp = Ed25519KeyPair.generate();
        KeyFile.save(kp, file);
        return new UserIdentity(kp, file, true);
    }

    /** As {@link #load(Path, Map, Path)} with this process's environment and home directory. */
    public static UserIdentity load(Path explicit) {
        return load(explicit, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    public PeerId peerId() {
        return key.peerId();
    }
}
