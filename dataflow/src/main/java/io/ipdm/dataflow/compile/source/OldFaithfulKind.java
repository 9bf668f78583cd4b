package io.ipdm.dataflow.compile.source;

import io.ipdm.connectors.solana.SolanaSources;
import io.ipdm.connectors.solana.SolanaTable;
import io.ipdm.connectors.solana.archive.ArchiveException;
import io.ipdm.connectors.solana.archive.ArchiveOptions;
import io.ipdm.connectors.solana.archive.ArchiveRange;
import io.ipdm.connectors.solana.archive.SlotIndex;
import io.ipdm.connectors.solana.rpc.RpcOptions;
import io.ipdm.dataflow.compile.CompileContext;
import io.ipdm.dataflow.compile.Options;
import io.ipdm.dataflow.compile.SourceKind;
import io.ipdm.dataflow.compile.TypedStream;
import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.spec.OptionSpec.Type;
import io.ipdm.dataflow.spec.SourceSpec;
import io.ipdm.multiformats.Cid;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * {@code kind: old-faithful}: the rows of Old Faithful archives (CAR files, HTTP(S) URLs, or a root
 * CID in a lake), read range-parallel in slot-range splits; with {@code then_live}, live blocks
 * from a JSON-RPC endpoint follow from the slot after the archives' last.
 */
public final class OldFaithfulKind implements SourceKind {
    @Override
    public String name() {
        return "old-faithful";
    }

    @Override
    public String summary() {
        return "Solana history from Old Faithful CAR archives (files, URLs or a CID in Lava Lakes),"
                + " range-parallel; then_live continues with live RPC";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.required(
                        "path",
                        Type.STRING,
                        "archive files or directories of *.car (relative to the working directory),"
                                + " http(s):// URLs read with range requests, or one root CID read"
                                + " from `lake`; comma-separated for several"),
                OptionSpec.of(
                        "lake",
                        Type.STRING,
                        null,
                        "the Lava Lakes directory a root CID is read from"),
                OptionSpec.of(
                        "peers",
                        Type.LIST,
                        null,
                        "with a CID: multiaddrs (/ip4/../tcp/../p2p/..) of peers to fetch blocks the"
                                + " lake lacks from, over Bitswap"),
                OptionSpec.of(
                        "index",
                        Type.LIST,
                        null,
                        "Old Faithful's own slot-to-cid and cid-to-offset-and-size index files or"
                                + " URLs of the archive (one archive): splits from them, no scan"),
                OptionSpec.of(
                        "index_dir",
                        Type.STRING,
                        null,
                        "where slot indexes are cached (default: <archive>.slots next to a file, the"
                                + " temp directory for a URL)"),
                OptionSpec.of(
                                "split_blocks",
                                Type.INTEGER,
                                2000L,
                                "blocks per split: the unit of parallel reading and of hand-out")
                        .range(1, Integer.MAX_VALUE),
                OptionSpec.of(
                                "max_attempts",
                                Type.INTEGER,
                                5L,
                                "attempts per HTTP range read before the job fails")
                        .range(1, 100),
                OptionSpec.of(
                        "retry_backoff",
                        Type.DURATION,
                        Duration.ofMillis(200),
                        "wait before the first retry; doubles per attempt, at most 5s"),
                OptionSpec.of(
                        "request_timeout",
                        Type.DURATION,
                        Duration.ofSeconds(30),
                        "timeout of one HTTP range read or lake network read"),
                OptionSpec.of(
                        "prefetch",
                        Type.STRING,
                        "auto",
                        "read the next chunk while the current one is decoded: auto (on while"
                                + " measured reads average 2 ms or more: URLs, lakes, cold disks;"
                                + " off while they are faster, as for a local file in the page"
                                + " cache), on, off"),
                OptionSpec.of(
                                "read_size",
                                Type.INTEGER,
                                4L << 20,
                                "bytes per read (one HTTP range request)")
                        .range(4096, 1L << 30),
                OptionSpec.of(
                        "then_live",
                        Type.STRING,
                        null,
                        "http(s) URL of a Solana JSON-RPC endpoint: after the archives, poll it from"
                                + " the slot after their last (no gap, no repeat)"),
                OptionSpec.of(
                        "live_end_slot",
                        Type.INTEGER,
                        null,
                        "with then_live: the last live slot read (inclusive); bounds the source"),
                OptionSpec.of(
                        "live_commitment",
                        Type.STRING,
                        "confirmed",
                        "with then_live: confirmed or finalized"),
                OptionSpec.of(
                        "live_poll_interval",
                        Type.DURATION,
                        Duration.ofMillis(400),
                        "with then_live: time between polls at the tip"));
    }

    @Override
    public RowTypeInfo type(SourceSpec source, Options o, CompileContext ctx) {
        SolanaTable table = SolanaTables.table(source, ctx);
        archive(o, ctx);
        live(o, ctx);
        return table.rowType();
    }

    @Override
    public TypedStream emit(SourceSpec source, Options o, RowTypeInfo type, CompileContext ctx) {
        return SolanaTables.emit(
                source,
                SolanaSources.archive(
                        archive(o, ctx), SolanaTables.projection(source, ctx), live(o, ctx)),
                ctx);
    }

    /** Where archives come from, for the message on a path that names none. */
    static final String WHERE_ARCHIVES_COME_FROM =
            "make one from getBlock responses with `ipdm solana to-car BLOCKS... -o FILE` (or one"
                    + " of any size with `ipdm solana gen-car BLOCKS... --transactions N -o FILE`),"
                    + " download an epoch from Old Faithful"
                    + " (https://files.old-faithful.net/EPOCH/epoch-EPOCH.car), or give an"
                    + " http(s):// URL, or a root CID with option lake";

    private static ArchiveOptions archive(Options o, CompileContext ctx) {
        List<String> files = new ArrayList<>();
        String cid = null;
        String[] items = o.string("path").split(",", -1);
        for (String p : items) {
            if (p.isBlank()) {
                throw ctx.error(
                        o.path("path"),
                        "an empty entry in '"
                                + o.string("path")
                                + "'; give archive files, directories or URLs separated by single"
                                + " commas");
            }
        }
        for (String p : items) {
            String item = p.strip();
            if (item.startsWith("http://") || item.startsWith("https://")) {
                files.add(url(item, o.path("path"), ctx));
                continue;
            }
            if (item.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
                throw ctx.error(
                        o.path("path"),
                        "'"
                                + item
                                + "': archives are read from local files, http(s):// URLs or a"
                                + " root CID in a lake; "
                                + item.substring(0, item.indexOf(':'))
                                + ":// is not supported (download the archive and give its path)");
            }
            Path path = ctx.baseDir().resolve(item).normalize();
            if (Files.isDirectory(path)) {
                try (Stream<Path> s = Files.list(path)) {
                    List<Path> cars =
                            s.filter(f -> f.getFileName().toString().endsWith(".car"))
                                    .sorted()
                                    .toList();
                    if (cars.isEmpty()) {
                        throw ctx.error(
                                o.path("path"),
                                "no *.car files in " + path + "; " + WHERE_ARCHIVES_COME_FROM);
                    }
                    for (Path c : cars) {
                        files.add(localArchive(c, o.path("path"), ctx));
                    }
                } catch (IOException e) {
                    throw ctx.error(o.path("path"), "cannot list " + path + ": " + e.getMessage());
                }
            } else if (Files.exists(path)) {
                files.add(localArchive(path, o.path("path"), ctx));
            } else if (isCid(item)) {
                if (cid != null) {
                    throw ctx.error(o.path("path"), "give one root CID (an Epoch or Subset node)");
                }
                cid = item;
            } else if (looksLikeCid(item)) {
                throw ctx.error(
                        o.path("path"),
                        "'"
                                + item
                                + "' is neither a file nor a valid CID ("
                                + cidError(item)
                                + "); give an archive file, an http(s):// URL or a root CID");
            } else {
                throw ctx.error(
                        o.path("path"),
                        "no such archive: " + path + "; " + WHERE_ARCHIVES_COME_FROM);
            }
        }
        if (cid != null && !files.isEmpty()) {
            throw ctx.error(o.path("path"), "give archive files/URLs or one root CID, not both");
        }
        String lake = o.string("lake");
        if (cid != null && lake == null) {
            throw ctx.error(
                    o.path(), "a root CID is read from a lake: add option 'lake' (its directory)");
        }
        if (cid != null && !Files.isDirectory(ctx.baseDir().resolve(lake).normalize())) {
            throw ctx.error(
                    o.path("lake"),
                    "no lake directory at "
                            + ctx.baseDir().resolve(lake).normalize()
                            + " (the root CID "
                            + cid
                            + " is read from it; `ipdm lake --dir DIR import-car ARCHIVE` puts an archive in a lake)");
        }
        if (cid == null && lake != null) {
            throw ctx.error(o.path("lake"), "'lake' is only used when path is a root CID");
        }
        List<String> peers = o.list("peers") == null ? List.of() : o.list("peers");
        if (cid == null && !peers.isEmpty()) {
            throw ctx.error(o.path("peers"), "'peers' is only used when path is a root CID");
        }
        ArchiveOptions.Prefetch prefetch;
        try {
            prefetch =
                    ArchiveOptions.Prefetch.valueOf(o.string("prefetch").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ctx.error(
                    o.path("prefetch"),
                    "expected auto, on or off, got '" + o.string("prefetch") + "'");
        }
        ArchiveOptions base =
                cid == null
                        ? ArchiveOptions.of(files)
                        : ArchiveOptions.of(List.of("-"))
                                .withLake(
                                        cid,
                                        ctx.baseDir().resolve(lake).normalize().toString(),
                                        peers);
        List<String> indexes = new ArrayList<>();
        if (o.list("index") != null) {
            for (String item : o.list("index")) {
                for (String i : item.split(",")) {
                    String x = i.strip();
                    if (!x.isEmpty()) {
                        if (x.startsWith("http://") || x.startsWith("https://")) {
                            indexes.add(url(x, o.path("index"), ctx));
                            continue;
                        }
                        Path index = ctx.baseDir().resolve(x).normalize();
                        if (!Files.isRegularFile(index)) {
                            throw ctx.error(
                                    o.path("index"),
                                    "no such index file: "
                                            + index
                                            + "; Old Faithful publishes an epoch's"
                                            + " slot-to-cid and cid-to-offset-and-size indexes next"
                                            + " to its archive, and `ipdm solana index ARCHIVE -o"
                                            + " DIR` writes them for a local one (or drop option"
                                            + " index to scan the archive instead)");
                        }
                        indexes.add(index.toString());
                    }
                }
            }
            if (cid != null || files.size() != 1) {
                throw ctx.error(
                        o.path("index"),
                        "Old Faithful's indexes describe one archive: give one archive file or URL"
                                + " in path with them");
            }
        }
        String indexDir = o.string("index_dir");
        return base.withFaithfulIndexes(indexes)
                .with(
                        indexDir == null
                                ? null
                                : ctx.baseDir().resolve(indexDir).normalize().toString(),
                        o.int32("split_blocks"),
                        o.int32("max_attempts"),
                        o.duration("retry_backoff"),
                        o.duration("request_timeout"),
                        prefetch,
                        o.int32("read_size"));
    }

    /** An http(s) URL with a host, or a compile error at {@code at}. */
    private static String url(String item, String at, CompileContext ctx) {
        try {
            URI u = new URI(item);
            if (u.getHost() == null || u.getHost().isEmpty()) {
                throw ctx.error(at, "'" + item + "' is not a valid URL: it names no host");
            }
            return item;
        } catch (java.net.URISyntaxException e) {
            throw ctx.error(
                    at,
                    "'"
                            + item
                            + "' is not a valid URL: "
                            + e.getReason()
                            + " at character "
                            + (e.getIndex() + 1));
        }
    }

    /**
     * A local file checked to be a CAR archive (its header read: a few bytes), or a compile error
     * naming it.
     */
    private static String localArchive(Path file, String at, CompileContext ctx) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw ctx.error(at, "cannot read the archive " + file + " (not a readable file)");
        }
        try (ArchiveRange range =
                ArchiveRange.open(file.toString(), ArchiveOptions.of(List.of(file.toString())))) {
            SlotIndex.firstSection(range);
        } catch (ArchiveException e) {
            throw ctx.error(at, e.getMessage() + "; give an Old Faithful CAR archive");
        } catch (IOException e) {
            throw ctx.error(at, "cannot read the archive " + file + ": " + e.getMessage());
        }
        return file.toString();
    }

    /** Text a user meant as a CID: one word in a CID's alphabet starting as CIDs do. */
    private static boolean looksLikeCid(String s) {
        return s.matches("(bafy|bafk|bafz|Qm|z[a-km-zA-HJ-NP-Z1-9]{3})[A-Za-z0-9]*")
                && s.length() >= 20;
    }

    private static String cidError(String s) {
        try {
            Cid.parse(s);
            return "it parses";
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static boolean isCid(String s) {
        try {
            Cid.parse(s);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static RpcOptions live(Options o, CompileContext ctx) {
        String url = o.string("then_live");
        if (url == null) {
            for (String k : List.of("live_end_slot", "live_commitment", "live_poll_interval")) {
                if (o.given(k)) {
                    throw ctx.error(o.path(k), "'" + k + "' is only used with then_live");
                }
            }
            return null;
        }
        try {
            RpcOptions.Builder b = RpcOptions.builder(new URI(url));
            Long end = o.integer("live_end_slot");
            if (end != null) {
                b.endSlot(end + 1); // the RPC source's end is exclusive
            }
            b.commitment(o.string("live_commitment"));
            b.pollInterval(o.duration("live_poll_interval"));
            return b.build();
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw ctx.error(o.path("then_live"), e.getMessage());
        }
    }
}
