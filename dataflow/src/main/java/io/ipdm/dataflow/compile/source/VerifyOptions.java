package io.ipdm.dataflow.compile.source;

import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import java.time.Duration;
import java.util.List;

/**
 * The {@code verified_only}, {@code verify_node} and {@code verify_timeout} options that sources of
 * attested window roots share ({@code gossipsub}, {@code lake}; docs/verification.md).
 */
final class VerifyOptions {
    private VerifyOptions() {}

    /** The three options; {@code what} says what verified_only passes (rows, window roots). */
    static List<OptionSpec> specs(String what) {
        return List.of(
                OptionSpec.of(
                        "verified_only",
                        Type.BOOLEAN,
                        false,
                        what
                                + " only once the node (verify_node) says its root is verified"
                                + " by an attestation quorum; disputed roots are dropped"
                                + " (docs/verification.md)"),
                OptionSpec.of(
                        "verify_node",
                        Type.STRING,
                        ".ipdm/lake",
                        "with verified_only: the node asked, its lake directory or admin URL"),
                OptionSpec.of(
                        "verify_timeout",
                        Type.DURATION,
                        Duration.ofMinutes(10),
                        "with verified_only: a root still pending after this is dropped"));
    }

    /**
     * verify_node and verify_timeout do nothing without verified_only: refused at their position.
     */
    static void refuseUnused(Options o, CompileContext ctx) {
        if (o.bool("verified_only")) {
            return;
        }
        for (String k : List.of("verify_node", "verify_timeout")) {
            if (o.given(k)) {
                throw ctx.error(
                        o.path(k),
                        "'" + k + "' is only used with verified_only: true; set it or drop " + k);
            }
        }
    }

    /** The node to ask: an admin URL as given, a lake directory resolved against the job's base. */
    static String node(Options o, CompileContext ctx) {
        String node = o.string("verify_node");
        return node.startsWith("http://") || node.startsWith("https://")
                ? node
                : ctx.baseDir().resolve(node).toAbsolutePath().normalize().toString();
    }
}
