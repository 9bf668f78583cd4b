package io.ipdm.dataflow.compile;

import io.ipdm.connectors.gossipsub.GossipsubOptions;
import io.ipdm.connectors.gossipsub.PayloadFormat;
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

    /** Reads the shared options from {@code o} (whose path is {@code path}). */
    public static GossipsubNode read(Options o, String path, CompileContext ctx) {
        String topic = o.string("topic", null);
        List<String> bootstrap = list(o.string("bootstrap", ""));
        List<String> listen = list(o.string("listen", "/ip4/127.0.0.1/tcp/0"));
        String keyFile = o.optionalString("key_file");
        String formatName = o.string("format", "json");
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
