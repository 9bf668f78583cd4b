package io.ipdm.dataflow.cli;

import io.ipdm.mesh.identity.UserIdentity;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --key FILE}: the user's signing identity for commands that sign (a mixin). Without it, the
 * key is {@code $IPDM_HOME/identity.key}, else {@code ~/.ipdm/identity.key}; a missing file is
 * created (0600) and its peer id printed, so a first run needs no setup.
 */
public final class KeyOptions {
    @Option(
            names = "--key",
            paramLabel = "FILE",
            description =
                    "Ed25519 identity key (libp2p PrivateKey protobuf, as node.key) to sign with;"
                            + " default $IPDM_HOME/identity.key, else ~/.ipdm/identity.key;"
                            + " created when missing.")
    Path key;

    /** Loads (or creates, saying so on {@code err}) the key. */
    public UserIdentity load(PrintWriter err) {
        UserIdentity id = UserIdentity.load(key);
        if (id.created()) {
            err.println("created identity " + id.file() + " (peer id " + id.peerId() + ")");
            err.flush();
        }
        return id;
    }
}
