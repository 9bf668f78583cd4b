package io.ipdm.dataflow.cli;

import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.UserIdentity;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code ipdm id}: prints the user's peer id and public key (creating the key on first use), the
 * two forms a {@code keys.yaml} entry accepts.
 */
@Command(
        name = "id",
        mixinStandardHelpOptions = true,
        description = {
            "Print your signing identity: peer id and public key (base64 libp2p PublicKey), the"
                    + " forms a keys.yaml trust entry takes. Creates the key on first use.",
            "A node's identity is DIR/node.key: `ipdm id --key DIR/node.key` prints it."
        })
final class IdentityCommand implements Callable<Integer> {
    @Mixin KeyOptions key;
    @Mixin CommonOptions common;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        UserIdentity id;
        try {
            id = key.load(err);
        } catch (IdentityException | UncheckedIOException e) {
            err.println("ipdm id: " + e.getMessage());
            err.flush();
            return IpdmCli.BAD_INPUT;
        }
        out.println("peer_id: " + id.peerId());
        out.println(
                "public_key: "
                        + Base64.getEncoder().encodeToString(id.key().publicKey().toProtobuf()));
        out.println("key_file: " + id.file());
        out.flush();
        return IpdmCli.OK;
    }
}
