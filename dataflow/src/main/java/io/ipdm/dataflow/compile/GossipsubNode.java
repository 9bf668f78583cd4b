package io.ipdm.dataflow.compile;

import io.ipdm.connectors.gossipsub.GossipsubOptions;
import io.ipdm.connectors.gossipsub.PayloadFormat;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.trust.TrustFile;
import io.ipdm.dataflow.yaml.YamlException;
import io.ipdm.mesh.identity.KeyFile;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.identity.TrustList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The mesh-node options the gossipsub source and sink share: {@code topic}, {@code bootstrap},
 * {@code listen}, {@code key_file}, {@code format} and {@code authorized_publishers}.
 *
 * <p>{@code authorized_publishers} lists peer ids and/or trust files ({@code keys.yaml}, an entry
 * ending in .yaml or .yml, resolved as key_file is): a trust file contributes its keys trusted for
 * {@code publish:<topic>} (or {@code publish}, {@code all}). Set, the source drops messages whose
 * (signature-checked) author is not listed, and the sink refuses to start unless its {@code
 * key_file} is listed (a fresh key per run never is).
 */
public record GossipsubNode(
        String topic,
        List<String> bootstrap,
        List<String> listen,
        String keyFile,
        PayloadFormat format,
        List<String> authorizedPublishers,
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
                                    + " or raw (the bytes of a data field)"),
                    OptionSpec.of(
                            "authorized_publishers",
                            Type.LIST,
                            null,
                            "peer ids and/or keys.yaml trust files (their keys allowed"
                                    + " publish:<topic>); the source drops and counts messages"
                                    + " from other authors, the sink refuses to start unless"
                                    + " key_file is one of them (default: anyone)"));

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
                publishers(
                        o.list("authorized_publishers"),
                        topic,
                        o.path("authorized_publishers"),
                        ctx),
                path);
    }

    /** The peer ids (base58) of authorized_publishers, trust files expanded; empty when unset. */
    private static List<String> publishers(
            List<String> given, String topic, String at, CompileContext ctx) {
        if (given == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String g : given) {
            if (g.endsWith(".yaml") || g.endsWith(".yml")) {
                TrustList t;
                try {
                    t = TrustFile.read(ctx.baseDir().resolve(g));
                } catch (YamlException e) {
                    throw ctx.error(at, "trust file " + g + ": " + e.getMessage());
                }
                List<PeerId> may = t.peersWith("publish:" + topic);
                if (may.isEmpty()) {
                    throw ctx.error(
                            at,
                            "trust file "
                                    + g
                                    + " has no key allowed to publish on "
                                    + topic
                                    + " (roles publish, publish:"
                                    + topic
                                    + " or all)");
                }
                may.forEach(p -> out.add(p.toBase58()));
            } else {
                try {
                    out.add(PeerId.parse(g).toBase58());
                } catch (RuntimeException e) {
                    throw ctx.error(
                            at,
                            "'"
                                    + g
                                    + "' is neither a peer id nor a .yaml trust file ("
                                    + e.getMessage()
                                    + ")");
                }
            }
        }
        if (out.isEmpty()) {
            throw ctx.error(at, "empty list: omit authorized_publishers to allow anyone");
        }
        return List.copyOf(out);
    }

    /**
     * Refuses a sink whose key cannot publish: with authorized_publishers set, key_file must name
     * an existing key that is listed (a fresh key per run never is).
     */
    public void checkPublisher(CompileContext ctx) {
        if (authorizedPublishers.isEmpty()) {
            return;
        }
        if (keyFile == null || !Files.exists(Path.of(keyFile))) {
            throw ctx.error(
                    path + ".key_file",
                    (keyFile == null ? "missing" : "no such key file " + keyFile)
                            + ": with authorized_publishers set the sink publishes with key_file,"
                            + " which must be one of the authorized keys (create one with `ipdm id"
                            + " --key FILE`)");
        }
        PeerId me;
        try {
            me = KeyFile.load(Path.of(keyFile)).peerId();
        } catch (RuntimeException e) {
            throw ctx.error(path + ".key_file", e.getMessage());
        }
        if (!authorizedPublishers.contains(me.toBase58())) {
            throw ctx.error(
                    path + ".key_file",
                    "this sink's key "
                            + me
                            + " is not among authorized_publishers of "
                            + topic
                            + "; its messages would be dropped by every subscriber: add it or"
                            + " use an authorized key");
        }
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
                    subscriberTimeout,
                    authorizedPublishers);
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
