package io.ipdm.dataflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import java.io.PrintWriter;
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
            "Storage nodes republish their record before it expires; see docs/node.md (IPNS)."
        })
final class NameCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a subcommand is required: publish, resolve");
    }

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

        @Mixin NetCommand.NodeOption node;
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
            return ask(
                    spec,
                    "name publish",
                    node,
                    q,
                    true,
                    json,
                    a -> {
                        String s =
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
                                        + " DHT peers)";
                        return s;
                    });
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

        @Mixin NetCommand.NodeOption node;
        @Mixin CommonOptions common;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            common.apply();
            return ask(
                    spec,
                    "name resolve",
                    node,
                    "/name/resolve?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
                    false,
                    json,
                    a -> a.path("value").asText());
        }
    }

    private static int ask(
            CommandSpec spec,
            String verb,
            NetCommand.NodeOption node,
            String path,
            boolean post,
            boolean json,
            java.util.function.Function<JsonNode, String> line)
            throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        NodeAdmin.Reply r;
        JsonNode answer;
        try {
            NodeAdmin admin = node.admin();
            r = post ? admin.post(path, new byte[0]) : admin.get(path);
            answer = admin.answer(r, null);
        } catch (NodeAdmin.Unreachable e) {
            return NodeAdmin.fail(spec, verb, e.getMessage(), e.exitCode());
        }
        if (r.status() != 200) {
            return NodeAdmin.fail(
                    spec,
                    verb,
                    answer.path("error").asText(r.body()),
                    r.status() >= 500 || r.status() == 404
                            ? IpdmCli.JOB_FAILED
                            : IpdmCli.BAD_INPUT);
        }
        out.println(json ? r.body() : line.apply(answer));
        out.flush();
        return IpdmCli.OK;
    }
}
