package io.ipdm.dataflow.cli;

import picocli.CommandLine.Option;

/**
 * {@code --node DIR|URL}: the running node a command talks to, by its lake directory (whose {@code
 * node.json} gives the admin address) or its admin URL. One mixin for {@code net}, {@code name},
 * {@code verify} and {@code run --attest}.
 */
final class NodeOption {
    @Option(
            names = "--node",
            paramLabel = "DIR|URL",
            defaultValue = "${env:IPDM_LAKE_DIR:-.ipdm/lake}",
            description =
                    "The node to ask: its lake directory (admin address from DIR/node.json) or"
                            + " admin URL (default: $IPDM_LAKE_DIR or .ipdm/lake).")
    String node;

    NodeAdmin admin() throws NodeAdmin.Failure {
        return NodeAdmin.of(node);
    }
}
