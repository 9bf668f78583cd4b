package io.ipdm.dataflow.compile;

import io.ipdm.connectors.gossipsub.GossipsubOptions;
import io.ipdm.connectors.gossipsub.PayloadFormat;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The mesh-node options the gossipsub source and sink share: {@code topic}, {@code bootstrap},
 * {@code listen}, {@code key_file} and {@code format}.
 */
public record GossipsubNode(
        String topic,
        List<String> bootstrap,
        List<String> listen,
        String keyFile,
        PayloadFormat format,
        String path) {

    /** The options the gossipsub source and sink share. */
    public static final List<OptionSpec> OPTIONS =
            List.of(
                    OptionSpec.required("topic", Type.STRING, "the gossipsub topic"),
                    OptionSpec.of(
                            "bootstrap",
                            Type.STRING,
                            "",
                            "comma-separated multiaddrs of peers to dial, with /p2p/<peer id>"),
                    OptionSpec.of(
                            "listen",
                            Type.STRING,
                            "/ip4/127.0.0.1/tcp/0",
                            "comma-separated multiaddrs to listen on"),
                    OptionSpec.of(
                            "key_file",
                            Type.STRING,
                            null,
                            "the node's identity key file (default: a fresh key per run)"),
                    OptionSpec.of(
                            "format",
                            Type.STRING,
                            "json",
                            "payload encoding: json, arrow (Arrow IPC, up to 1024 rows a message)"
                                    + " or raw (the bytes of a data field)"));

    /** Reads the shared options from {@code o}. */
    public static GossipsubNode read(Options o, CompileContext ctx) {
        String path = o.path();
        String topic = o.string("topic");
        List<String> bootstrap = list(o.string("bootstrap"));
        List<String> listen = list(o.string("listen"));
        String keyFile = o.string("key_file");
        String formatName = o.string("format");
        return new GossipsubNode(
                topic,
                bootstrap,
                listen,
                keyFile == null ? null : ctx.baseDir().resolve(keyFile).toAbsolutePath().toString(),
                format(formatName, path, ctx),
                path);
    }

    /** The connector's options, with a user mistake reported at the options block. */
    public GossipsubOptions options(
            int dedupWindow,
            int queueCapacity,
            int minSubscribers,
            Duration subscriberTimeout,
            CompileContext ctx) {
        try {
            return new GossipsubOptions(
                    topic,
                    listen,
                    bootstrap,
                    keyFile,
                    format,
                    dedupWindow,
                    queueCapacity,
                    minSubscribers,
                    subscriberTimeout);
        } catch (IllegalArgumentException e) {
            throw ctx.error(path, e.getMessage());
        }
    }

    private static PayloadFormat format(String name, String path, CompileContext ctx) {
        try {
            return PayloadFormat.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ctx.error(
                    path + ".format",
                    "unknown format '"
                            + name
                            + "'; expected one of "
                            + Arrays.stream(PayloadFormat.values())
                                    .map(f -> f.name().toLowerCase(Locale.ROOT))
                                    .toList());
        }
    }

    /** A comma-separated option as a list (empty for ""). */
    private static List<String> list(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
