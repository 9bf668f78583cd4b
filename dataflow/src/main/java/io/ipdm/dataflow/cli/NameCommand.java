package io.ipdm.dataflow.cli;

import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ipdm name publish|resolve}: the node's IPNS name (its peer id), through a running {@code
 * ipdm node} (its admin endpoint's {@code /name}).
 */
@Command(
        name = "name",
        mixinStandardHelpOptions = true,
        subcommands = {NameCommand.Publish.class, NameCommand.Resolve.class},
        description = {
            "IPNS: publish a path under the running node's name (its peer id, signed with its"
                    + " key, put to the DHT) or resolve any name through the node's DHT.",
            "The node republishes its record every --ipns-republish (default 4h), before it expires;"
                    + " see docs/node.md (IPNS names)."
        })
final class NameCommand extends CommandGroup {
    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description =
                    "Sign an IPNS record naming CID_OR_PATH with the node's key (the sequence"
                            + " continues from the last one published) and put it to the DHT.")
    static final class Publish implements Callable<Integer> {
        @Parameters(
                paramLabel = "CID_OR_PATH",
                description = "A CID (published as /ipfs/CID) or a path such as /ipfs/CID.")
        String target;

        @Option(
                names = "--lifetime",
                defaultValue = "24h",
                converter = NodeCommand.DurationConverter.class,
                description = "How long the record is valid (at most 48h; default 24h).")
        Duration lifetime;

        @Option(
                names = "--ttl",
                defaultValue = "5m",
                converter = NodeCommand.DurationConverter.class,
                description = "How long resolvers may cache it (default 5m).")
        Duration ttl;

        @Option(names = "--json", description = "Print the node's answer as JSON.")
        boolean json;

        @Mixin NodeOption node;
        @Mixin CommonOptions common;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            common.apply();
            String path = target;
            if (!path.startsWith("/")) {
                try {
                    path = "/ipfs/" + Cid.parse(path);
                } catch (MultiformatException e) {
                    return NodeAdmin.fail(
                            spec,
                            "name publish",
                            "'"
                                    + target
                                    + "' is neither a CID nor a path (/ipfs/CID): "
                                    + e.getMessage(),
                            IpdmCli.BAD_INPUT);
                }
            }
            String q =
                    "/name/publish?value="
                            + URLEncoder.encode(path, StandardCharsets.UTF_8)
                            + "&lifetime="
                            + lifetime
                            + "&ttl="
                            + ttl;
            return NodeAdmin.show(
                    spec,
                    "name publish",
                    node::admin,
                    NodeAdmin.Request.post(q, new byte[0]),
                    null,
                    json,
                    a ->
                            "published /ipns/"
                                    + a.path("name").asText()
                                    + " -> "
                                    + a.path("value").asText()
                                    + " (sequence "
                                    + a.path("sequence").asText()
                                    + ", valid until "
                                    + a.path("validity").asText()
                                    + ", stored by "
                                    + a.path("storedBy").asInt()
                                    + " DHT peers)\n");
        }
    }

    @Command(
            name = "resolve",
            mixinStandardHelpOptions = true,
            description =
                    "Find NAME's IPNS record through the node's DHT, verify it and print the path"
                            + " it names.")
    static final class Resolve implements Callable<Integer> {
        @Parameters(
                paramLabel = "NAME",
                description = "A peer id (12D3KooW..., k51..., bafz...), optionally as /ipns/NAME.")
        String name;

        @Option(names = "--json", description = "Print the node's answer as JSON.")
        boolean json;

        @Mixin NodeOption node;
        @Mixin CommonOptions common;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            common.apply();
            return NodeAdmin.show(
                    spec,
                    "name resolve",
                    node::admin,
                    NodeAdmin.Request.get(
                            "/name/resolve?name="
                                    + URLEncoder.encode(name, StandardCharsets.UTF_8)),
                    null,
                    json,
                    a -> a.path("value").asText() + "\n");
        }
    }
}
