package io.ipdm.lakes.gateway;

import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarExport;
import io.ipdm.lakes.ipld.CodecException;
import io.ipdm.lakes.ipld.InlineBlocks;
import io.ipdm.lakes.ipld.UnixFsPath;
import io.ipdm.lakes.ipld.UnixFsRange;
import io.ipdm.lakes.network.DagPrefetch;
import io.ipdm.lakes.verify.AttestationException;
import io.ipdm.lakes.verify.RowProof;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trustless gateway's answer to one request, decided from the method, request target and {@code
 * Accept} header with no I/O but block reads (the Netty side in {@link Gateway} only moves bytes).
 * Statuses are the <a
 * href="https://specs.ipfs.tech/http-gateways/path-gateway/#response-headers">path gateway
 * spec</a>'s: 400 for a malformed path, CID, format or dag-scope (or a raw block asked by path),
 * 404 for an unknown block or a path segment not found ({@link UnixFsPath}), 405 for methods other
 * than GET and HEAD, 406 for CAR variants not served (CARv2, {@code dups=y}, other orders) asked by
 * {@code Accept} alone ({@code ?format=} takes precedence over {@code Accept}), 410 for a deleted
 * block, 501 for paths it cannot walk (symlinks, other HAMT hashes, codecs other than dag-pb,
 * dag-cbor and dag-json). Error bodies are one line of text; values from the request are cut to
 * {@link #ECHO} characters. Given {@link Conditions}: 304 for a matching {@code If-None-Match},
 * 206/416 for a {@code Range} on a raw block ({@link ByteRange}); a CAR takes {@code entity-bytes}
 * instead ({@link EntityBytes}, 400 when malformed or wholly past the end).
 */
final class Responder {
    static final String RAW = "application/vnd.ipld.raw";
    static final String CAR = "application/vnd.ipld.car";
    static final String CAR_TYPE = CAR + "; version=1; order=dfs; dups=n";
    static final int ECHO = 80;
    static final String PROOF = "/ipdm/proof/";

    /** A CAR to stream: the header names {@code root}; {@code blocks} in order. */
    record Car(Cid root, List<Cid> blocks) {}

    /**
     * A body written while it is produced (routing's NDJSON): {@link #run} hands each piece to
     * {@code emit} as soon as it is ready, from any thread, and returns when there is no more.
     */
    @FunctionalInterface
    interface Streamed {
        /**
         * @return null when pieces were emitted; else the answer to send instead (404 when nothing
         *     was found, 429, 502...), which is only sent when nothing was emitted
         */
        Reply run(java.util.function.Consumer<byte[]> emit);
    }

    /**
     * Status, headers, and a body, a CAR ({@code car} null unless a CAR is served) or a streamed
     * body ({@code streamed}, sent with the status and headers once its first piece is ready).
     */
    record Reply(int status, Map<String, String> headers, byte[] body, Car car, Streamed streamed) {
        Reply(int status, Map<String, String> headers, byte[] body, Car car) {
            this(status, headers, body, car, null);
        }

        static Reply error(int status, String message) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "text/plain; charset=utf-8");
            return new Reply(status, h, (message + "\n").getBytes(StandardCharsets.UTF_8), null);
        }
    }

    private final BlockSource source;
    private final NameResolver names;

    Responder(BlockSource source) {
        this(source, null);
    }

    Responder(BlockSource source, NameResolver names) {
        this.source = source;
        this.names = names;
    }

    BlockSource source() {
        return source;
    }

    /**
     * The request headers that make a response conditional or partial ({@code null}: absent).
     *
     * @param range {@code Range}: one byte range of a raw block is answered 206 ({@link ByteRange})
     * @param ifRange {@code If-Range}: the range applies only when it is the response's Etag
     * @param ifNoneMatch {@code If-None-Match}: 304 when it lists the response's Etag (or is *)
     * @param onlyIfCached {@code Cache-Control: only-if-cached}: 412 when the root block is not
     *     held here (a gateway reading the network would have to fetch it)
     */
    record Conditions(String range, String ifRange, String ifNoneMatch, boolean onlyIfCached) {
        static final Conditions NONE = new Conditions(null, null, null, false);
    }

    Reply respond(String method, String target, String accept) {
        return respond(method, target, accept, Conditions.NONE);
    }

    /**
     * As {@link #respond(String, String, String)}, then: a 200 whose Etag {@code If-None-Match}
     * lists is a 304 (with the 200's caching headers, without a body); a raw block asked with a
     * single {@code Range} is a 206 with {@code Content-Range}, or 416 when the range is past its
     * end ({@link ByteRange}).
     */
    Reply respond(String method, String target, String accept, Conditions c) {
        Reply r = decide(method, target, accept, c.onlyIfCached());
        if (r.status() != 200) {
            return r;
        }
        String etag = r.headers().get("Etag");
        if (c.ifNoneMatch() != null && etag != null && matches(c.ifNoneMatch(), etag)) {
            Map<String, String> h = new LinkedHashMap<>();
            for (String k : new String[] {"Etag", "Cache-Control", "Vary", "X-Ipfs-Roots"}) {
                if (r.headers().containsKey(k)) {
                    h.put(k, r.headers().get(k));
                }
            }
            h.put("X-Ipfs-Path", r.headers().get("X-Ipfs-Path"));
            h.values().removeIf(java.util.Objects::isNull);
            return new Reply(304, h, new byte[0], null);
        }
        if (r.car() != null || r.body() == null || !RAW.equals(r.headers().get("Content-Type"))) {
            return r;
        }
        r.headers().put("Accept-Ranges", "bytes");
        if (c.range() == null || (c.ifRange() != null && !c.ifRange().trim().equals(etag))) {
            return r;
        }
        return ByteRange.apply(c.range(), r);
    }

    /** Whether an {@code If-None-Match} list names {@code etag} (weak comparison) or is *. */
    static boolean matches(String ifNoneMatch, String etag) {
        String bare = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String t : ifNoneMatch.split(",")) {
            String v = t.trim();
            if (v.equals("*") || (v.startsWith("W/") ? v.substring(2) : v).equals(bare)) {
                return true;
            }
        }
        return false;
    }

    private Reply decide(String method, String target, String accept, boolean onlyIfCached) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Reply r =
                    Reply.error(405, "method " + cut(method) + " is not allowed; use GET or HEAD");
            r.headers().put("Allow", "GET, HEAD");
            return r;
        }
        Target t;
        try {
            t = Target.parse(target);
        } catch (IllegalArgumentException e) {
            return Reply.error(400, "malformed request target '" + cut(target) + "'");
        }
        if (t.path().startsWith(PROOF)) {
            return proof(t);
        }
        if (t.path().startsWith("/ipns/") && names != null) {
            return ipns(t, target, method, accept, onlyIfCached);
        }
        if (t.path().equals("/ipfs")) {
            return Reply.error(400, "no CID: request /ipfs/{cid}");
        }
        if (!t.path().startsWith("/ipfs/")) {
            return Reply.error(404, "only /ipfs/{cid} is served here");
        }
        String rest = t.path().substring("/ipfs/".length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.isEmpty()) {
            return Reply.error(400, "no CID: request /ipfs/{cid}");
        }
        List<String> path = new ArrayList<>();
        for (String seg : rest.split("/")) {
            if (!seg.isEmpty()) {
                path.add(seg);
            }
        }
        String first = path.remove(0);
        Cid cid;
        try {
            cid = Cid.parse(first);
        } catch (MultiformatException e) {
            return Reply.error(400, "invalid CID '" + cut(first) + "'");
        }
        Format format = Format.negotiate(t.query().get("format"), accept);
        if (format.status() != 200) {
            return Reply.error(format.status(), format.reason());
        }
        if (!format.car() && !path.isEmpty()) {
            // trustless gateway spec: a raw block is requested by its CID alone
            return Reply.error(
                    400,
                    "a raw block is requested by its CID alone (/ipfs/{cid}?format=raw), not by a"
                            + " path; ask for ?format=car to get the blocks along /ipfs/"
                            + cid
                            + "/"
                            + cut(String.join("/", path)));
        }
        String scope = t.query().getOrDefault("dag-scope", "all");
        if (!scope.equals("all") && !scope.equals("block") && !scope.equals("entity")) {
            return Reply.error(
                    400, "unsupported dag-scope '" + cut(scope) + "'; use block, entity or all");
        }
        if (onlyIfCached && !InlineBlocks.isInline(cid) && !source.holds(cid)) {
            return Reply.error(
                    412,
                    "block "
                            + cid
                            + " is not held by this gateway, and Cache-Control: only-if-cached"
                            + " forbids fetching it; retry without only-if-cached");
        }
        EntityBytes bytes = null;
        String eb = t.query().get("entity-bytes");
        if (eb != null) {
            if (!format.car()) {
                return Reply.error(
                        400,
                        "entity-bytes is for CAR requests (?format=car); a raw block takes a Range"
                                + " header");
            }
            try {
                bytes = EntityBytes.parse(eb);
            } catch (IllegalArgumentException e) {
                return Reply.error(400, e.getMessage());
            }
            scope = "entity"; // entity-bytes implies dag-scope=entity
        }
        try {
            return serve(cid, path, format.car(), scope, bytes);
        } catch (MultiformatException | CodecException e) {
            return Reply.error(400, "cannot serve " + cid + ": " + cut(e.getMessage(), 200));
        }
    }

    /**
     * {@code /ipns/{name}[/path]}: the name's record, verified, as {@code
     * application/vnd.ipfs.ipns-record} when asked for ({@code ?format=ipns-record} or {@code
     * Accept}), else the request answered for the record's value with the rest of the path and the
     * query kept.
     */
    private Reply ipns(
            Target t, String target, String method, String accept, boolean onlyIfCached) {
        String rest = t.path().substring("/ipns/".length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        String sub = slash < 0 ? "" : rest.substring(slash);
        io.ipdm.mesh.identity.PeerId id;
        io.ipdm.mesh.ipns.IpnsRecord r;
        try {
            id = io.ipdm.mesh.ipns.IpnsRecord.parseName(name);
            r = names.resolve(id);
        } catch (io.ipdm.mesh.ipns.IpnsException e) {
            return Reply.error(400, cut(e.getMessage(), 300));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(503, "interrupted; retry");
        }
        if (r == null) {
            return Reply.error(404, "no IPNS record found for " + id);
        }
        String format = t.query().get("format");
        boolean wantsRecord =
                "ipns-record".equals(format)
                        || (format == null
                                && accept != null
                                && accept.contains(io.ipdm.mesh.ipns.IpnsRecord.MEDIA_TYPE));
        if (wantsRecord) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", io.ipdm.mesh.ipns.IpnsRecord.MEDIA_TYPE);
            h.put("Cache-Control", "public, max-age=" + r.ttl().toSeconds());
            h.put(
                    "Content-Disposition",
                    "attachment; filename=\"" + id.toCidString() + ".ipns-record\"");
            return new Reply(200, h, r.entry(), null);
        }
        if (!r.value().startsWith("/ipfs/")) {
            return Reply.error(
                    501,
                    "/ipns/"
                            + id
                            + " points to "
                            + cut(r.value())
                            + "; only /ipfs/ values are served");
        }
        int q = target.indexOf('?');
        Reply inner =
                decide(
                        method,
                        r.value() + sub + (q < 0 ? "" : target.substring(q)),
                        accept,
                        onlyIfCached);
        inner.headers().put("X-Ipfs-Path", "/ipns/" + id + sub);
        if (inner.status() == 200) {
            // a name's content changes: cached for the record's TTL, never as immutable
            inner.headers().put("Cache-Control", "public, max-age=" + r.ttl().toSeconds());
        }
        return inner;
    }

    /**
     * {@code GET /ipdm/proof/{root}?row={json}}: a CAR of the window root block and the chunk
     * holding the row ({@link RowProof}), for clients to check themselves; 404 naming the nearest
     * row's differing fields when the window has no such row.
     */
    private Reply proof(Target t) {
        String rest = t.path().substring(PROOF.length());
        Cid root;
        try {
            root = Cid.parse(rest);
        } catch (MultiformatException e) {
            return Reply.error(400, "invalid root CID '" + cut(rest) + "'");
        }
        String row = t.query().get("row");
        if (row == null || row.isEmpty()) {
            return Reply.error(400, "no row: request /ipdm/proof/{root}?row={json object}");
        }
        RowProof p;
        try {
            p = RowProof.prove(source, root, RowProof.parseRow(row));
        } catch (AttestationException e) {
            return Reply.error(
                    e.getMessage().startsWith("row is not") || e.getMessage().contains("not found")
                            ? 404
                            : 400,
                    cut(e.getMessage(), 500));
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", CAR_TYPE);
        h.put("X-Ipfs-Roots", root.toString());
        return new Reply(200, h, null, new Car(root, p.blocks().stream().map(Block::cid).toList()));
    }

    private Reply serve(Cid cid, List<String> path, boolean car, String scope, EntityBytes bytes) {
        if (!path.isEmpty()) {
            return serveCar(cid, path, scope, bytes);
        }
        boolean blockScope = scope.equals("block");
        boolean inline = InlineBlocks.isInline(cid);
        if (!inline && source.isGone(cid)) {
            return Reply.error(410, "block " + cid + " was deleted from this node");
        }
        Block root = InlineBlocks.get(source, cid);
        if (root == null) {
            return Reply.error(404, "block " + cid + " not found");
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Cache-Control", "public, max-age=29030400, immutable");
        h.put("X-Ipfs-Roots", cid.toString());
        h.put("Vary", "Accept");
        if (!car) {
            h.put("Content-Type", RAW);
            h.put("Etag", "\"" + cid + ".raw\"");
            h.put("Content-Disposition", "attachment; filename=\"" + cid + ".bin\"");
            return new Reply(200, h, root.data(), null);
        }
        return serveCar(cid, List.of(), scope, bytes);
    }

    /**
     * A CAR for {@code /ipfs/{cid}/{path}}: the blocks that verify each path segment (root,
     * directories, HAMT shard nodes, dag-cbor/dag-json blocks) in the order walked, then those
     * {@code scope} asks of the path's target, without duplicates or identity blocks. The path is
     * resolved and the DAG planned before the 200 goes out, so a missing segment or block is a 404,
     * not a truncated CAR.
     */
    private Reply serveCar(Cid cid, List<String> path, String scope, EntityBytes bytes) {
        UnixFsPath.Resolved r;
        List<Cid> scoped = null;
        try {
            r = UnixFsPath.resolve(source, cid, path);
            if (bytes != null && r.inside() == null) {
                Long size = UnixFsRange.fileSize(source, r.target());
                if (size != null) {
                    long[] range = bytes.resolve(size);
                    if (range == null) {
                        return Reply.error(
                                400,
                                "entity-bytes="
                                        + bytes
                                        + " is wholly past the end of the "
                                        + size
                                        + "-byte file "
                                        + r.target());
                    }
                    scoped =
                            range[1] < range[0]
                                    ? List.of(r.target()) // empty: as dag-scope=block
                                    : UnixFsRange.blocks(source, r.target(), range[0], range[1]);
                }
            }
        } catch (UnixFsPath.PathException e) {
            return Reply.error(e.status(), cut(e.getMessage(), 400));
        } catch (LakesException e) {
            return Reply.error(404, cut(e.getMessage(), 400));
        }
        try {
            if (scoped == null) {
                scoped =
                        switch (scope) {
                            case "block" -> List.of(r.target());
                            case "entity" -> UnixFsPath.entity(source, r.target());
                            default -> null;
                        };
                if (scoped == null && r.inside() != null) {
                    // the path ends inside a dag-cbor/dag-json block: that block, then the DAGs
                    // under the links of the node the path names (not its siblings')
                    List<Cid> all = new ArrayList<>(List.of(r.target()));
                    for (Cid l : r.inside()) {
                        all.addAll(plan(l));
                    }
                    scoped = all;
                }
                if (scoped == null) {
                    scoped = plan(r.target());
                }
            }
        } catch (UnixFsPath.PathException e) {
            return Reply.error(e.status(), cut(e.getMessage(), 400));
        } catch (LakesException e) {
            return Reply.error(404, cut(e.getMessage(), 400));
        }
        java.util.LinkedHashSet<Cid> blocks = new java.util.LinkedHashSet<>(r.traversed());
        blocks.addAll(scoped);
        blocks.removeIf(InlineBlocks::isInline);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Cache-Control", "public, max-age=29030400, immutable");
        h.put("X-Ipfs-Roots", String.join(",", r.segments().stream().map(Cid::toString).toList()));
        h.put("Vary", "Accept");
        h.put("Content-Type", CAR_TYPE);
        String etag =
                cid
                        + (path.isEmpty() ? "" : "." + pathTag(path))
                        + ".car."
                        + scope
                        + (bytes == null ? "" : ".bytes-" + bytes.toString().replace(':', '_'));
        h.put("Etag", "\"" + etag + "\"");
        h.put("Content-Disposition", "attachment; filename=\"" + cid + ".car\"");
        return new Reply(200, h, null, new Car(cid, List.copyOf(blocks)));
    }

    /**
     * The blocks of the DAG under {@code root}, depth-first. A source that reads the network brings
     * the whole DAG in at once when the walk first meets a block it lacks ({@link
     * DagPrefetch#walking}), so the walk does not pay a network round trip per block.
     */
    private List<Cid> plan(Cid root) {
        return CarExport.plan(DagPrefetch.walking(source, root), root);
    }

    /** A short digest of a path, so each path's CAR has its own Etag. */
    private static String pathTag(List<String> path) {
        try {
            byte[] d =
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(String.join("/", path).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String cut(String s) {
        return cut(s, ECHO);
    }

    static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        s.codePoints()
                .limit(max)
                .forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return s.length() > max ? b + "... (" + s.length() + " characters)" : b.toString();
    }

    /** The decoded path and query of a request target. */
    record Target(String path, Map<String, String> query) {
        static Target parse(String target) {
            String t = target;
            if (t.startsWith("http://") || t.startsWith("https://")) {
                int slash = t.indexOf('/', t.indexOf("//") + 2);
                t = slash < 0 ? "/" : t.substring(slash);
            }
            if (!t.startsWith("/")) {
                throw new IllegalArgumentException("not an origin-form target");
            }
            int q = t.indexOf('?');
            String path = decode(q < 0 ? t : t.substring(0, q));
            Map<String, String> query = new LinkedHashMap<>();
            if (q >= 0) {
                for (String pair : t.substring(q + 1).split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    query.put(
                            decode(eq < 0 ? pair : pair.substring(0, eq)),
                            decode(eq < 0 ? "" : pair.substring(eq + 1)));
                }
            }
            return new Target(path, query);
        }

        /** Percent-decoding as UTF-8; malformed escapes throw IllegalArgumentException. */
        private static String decode(String s) {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
    }

    /** The response format a request negotiates: raw, car, or an error status and reason. */
    record Format(int status, boolean car, String reason) {
        static final Format RAW_BLOCK = new Format(200, false, null);
        static final Format CAR_STREAM = new Format(200, true, null);

        static Format negotiate(String param, String accept) {
            Format fromAccept = fromAccept(accept);
            if (param != null) {
                if (param.equals("raw")) {
                    return RAW_BLOCK;
                }
                if (param.equals("car")) {
                    // trustless gateway spec: format takes precedence over Accept, CAR parameters
                    // included; the Content-Type says which variant is served (CARv1, dfs, dups=n)
                    return CAR_STREAM;
                }
                return new Format(
                        400, false, "unsupported format '" + cut(param) + "'; use raw or car");
            }
            if (fromAccept != null) {
                return fromAccept;
            }
            return new Format(
                    400,
                    false,
                    "request a verifiable response: ?format=raw or ?format=car (or an Accept header"
                            + " of "
                            + RAW
                            + " or "
                            + CAR
                            + ")");
        }

        /**
         * The first raw or CARv1 media range in {@code accept} by quality, 406 when it asks only
         * for CAR variants not served, null when it names neither.
         */
        private static Format fromAccept(String accept) {
            if (accept == null) {
                return null;
            }
            String refused = null;
            double best = 0;
            Format chosen = null;
            for (String range : accept.split(",")) {
                String[] parts = range.split(";");
                String type = parts[0].trim().toLowerCase(Locale.ROOT);
                if (!type.equals(RAW) && !type.equals(CAR)) {
                    continue;
                }
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 1; i < parts.length; i++) {
                    int eq = parts[i].indexOf('=');
                    if (eq > 0) {
                        params.put(
                                parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT),
                                parts[i].substring(eq + 1).trim().replace("\"", ""));
                    }
                }
                double q;
                try {
                    q = Double.parseDouble(params.getOrDefault("q", "1"));
                } catch (NumberFormatException e) {
                    q = 0;
                }
                if (q <= 0 || q <= best) {
                    continue;
                }
                if (type.equals(RAW)) {
                    best = q;
                    chosen = RAW_BLOCK;
                    continue;
                }
                String why = carRefusal(params);
                if (why != null) {
                    refused = refused == null ? why : refused;
                    continue;
                }
                best = q;
                chosen = CAR_STREAM;
            }
            if (chosen != null) {
                return chosen;
            }
            return refused == null ? null : new Format(406, true, refused);
        }

        private static String carRefusal(Map<String, String> params) {
            String version = params.getOrDefault("version", "1");
            if (!version.equals("1")) {
                return "CAR version " + cut(version) + " is not served; ask for " + CAR_TYPE;
            }
            String order = params.getOrDefault("order", "dfs");
            if (!order.equals("dfs") && !order.equals("unk")) {
                return "CAR order '" + cut(order) + "' is not served; ask for " + CAR_TYPE;
            }
            String dups = params.getOrDefault("dups", "n");
            if (!dups.equals("n")) {
                return "CAR dups=" + cut(dups) + " is not served; ask for " + CAR_TYPE;
            }
            return null;
        }
    }
}
