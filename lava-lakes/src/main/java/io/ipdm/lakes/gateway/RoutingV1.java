package io.ipdm.lakes.gateway;

import io.ipdm.lakes.gateway.RoutingV1Backend.Peer;
import io.ipdm.mesh.identity.IdentityException;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.ipns.IpnsException;
import io.ipdm.mesh.ipns.IpnsRecord;
import io.ipdm.mesh.json.JsonStrings;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import io.ipdm.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The <a href="https://specs.ipfs.tech/routing/http-routing-v1/">Delegated Routing V1 HTTP API</a>
 * on the gateway's port, so Helia, Kubo and other IPFS clients find providers and peers through
 * this node without running a DHT themselves:
 *
 * <ul>
 *   <li>{@code GET /routing/v1/providers/{cid}}: peers that provide the block ({@link
 *       RoutingV1Backend#providers})
 *   <li>{@code GET /routing/v1/peers/{peer-id}}: a peer's addresses and protocols ({@link
 *       RoutingV1Backend#peers}); the id as base58 or a {@code libp2p-key} CIDv1
 *   <li>{@code GET /routing/v1/dht/closest/peers/{key}} (IPIP-476): the DHT servers closest to a
 *       CID or peer id ({@link RoutingV1Backend#closestPeers})
 *   <li>{@code GET|PUT /routing/v1/ipns/{name}}: a signed IPNS record ({@code
 *       application/vnd.ipfs.ipns-record}); a PUT record is verified against the name before it is
 *       stored and put to the DHT
 * </ul>
 *
 * <p>Providers and peers answer {@code application/json} ({@code {"Providers": [...]}}, at most
 * {@link Limits#maxJsonResults}) or, when {@code Accept} lists {@code application/x-ndjson}, one
 * {@code peer} record per line (at most {@link Limits#maxStreamResults}), each written as the
 * lookup finds it (the status and headers with the first) while the connection takes it: a client
 * reading slower than the lookup finds gets at most {@link RoutingV1Stream#MAX_HELD_BYTES} held for
 * it, later records are dropped ({@link RoutingV1Stream}). A {@code HEAD} asking for NDJSON gets
 * the stream's status and headers without a lookup (what the stream would hold is only known by
 * running it; RFC 9110 section 9.3.2). 404 when nothing was found (cacheable for {@link
 * #NOT_FOUND_MAX_AGE} s), 200 cacheable for {@link #FOUND_MAX_AGE} s. IPIP-484 filters ({@code
 * ?filter-protocols=}, {@code ?filter-addrs=}) are applied. Lookups are bounded by {@link
 * Limits#lookupTimeout} and at most {@link Limits#concurrentLookups} run at once (429 with {@code
 * Retry-After} past that), so routing cannot take every gateway worker. Every answer carries the
 * spec's CORS headers; {@code OPTIONS} answers a preflight. Errors: 400 for an unknown path, a bad
 * CID, peer id, name or record (the body says which and why), 405 for a method the path does not
 * take, 406 for an IPNS GET that does not accept the record media type, 415 for an IPNS PUT whose
 * body is not of that type, 501 for {@code PUT} of providers or peers, and for IPNS on a node
 * without a DHT.
 */
public final class RoutingV1 {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingV1.class);
    static final String PREFIX = "/routing/v1";
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";

    /** Seconds a found answer may be cached. */
    static final int FOUND_MAX_AGE = 300;

    /** Seconds a "none found" answer may be cached: content appears, so not long. */
    static final int NOT_FOUND_MAX_AGE = 15;

    /** The spec's default for IPNS answers without a TTL, and for names not found. */
    static final int IPNS_DEFAULT_MAX_AGE = 60;

    /**
     * @param maxJsonResults records in one {@code application/json} answer (the spec says 100)
     * @param maxStreamResults records in one NDJSON answer
     * @param lookupTimeout how long one provider, peer or name lookup may take
     * @param concurrentLookups lookups running at once; more are answered 429
     */
    public record Limits(
            int maxJsonResults,
            int maxStreamResults,
            Duration lookupTimeout,
            int concurrentLookups) {
        public static final Limits DEFAULT = new Limits(100, 1000, Duration.ofSeconds(10), 4);

        public Limits {
            if (maxJsonResults < 1 || maxStreamResults < 1 || concurrentLookups < 1) {
                throw new IllegalArgumentException(
                        "routing limits must be at least 1: results "
                                + maxJsonResults
                                + "/"
                                + maxStreamResults
                                + ", lookups "
                                + concurrentLookups);
            }
            if (lookupTimeout.isNegative() || lookupTimeout.isZero()) {
                throw new IllegalArgumentException(
                        "routing lookup timeout must be positive, got " + lookupTimeout);
            }
        }

        /** The keys of {@link #fromMap}, with their ranges. */
        static final Map<String, String> KEYS =
                Map.of(
                        "json-results", "1 to 10000",
                        "stream-results", "1 to 100000",
                        "lookup-timeout", "100ms to 5m",
                        "concurrent-lookups", "1 to 256");

        /**
         * Limits from {@code ipdm node --routing-limit KEY=VALUE} (config key {@code
         * routing-limit:}, a map): {@code json-results}, {@code stream-results}, {@code
         * lookup-timeout} ({@code 10s}, {@code 500ms}, {@code 2m} or ISO-8601 {@code PT10S}),
         * {@code concurrent-lookups}; a key not given keeps its {@link #DEFAULT}. An unknown key or
         * a value out of its range is an error naming it and what is allowed.
         */
        public static Limits fromMap(Map<String, String> settings) {
            for (String k : settings.keySet()) {
                if (!KEYS.containsKey(k)) {
                    throw new IllegalArgumentException(
                            "routing-limit: unknown key '"
                                    + Responder.cut(k)
                                    + "'; keys: "
                                    + String.join(", ", new java.util.TreeSet<>(KEYS.keySet())));
                }
            }
            return new Limits(
                    whole(settings, "json-results", DEFAULT.maxJsonResults(), 10_000),
                    whole(settings, "stream-results", DEFAULT.maxStreamResults(), 100_000),
                    duration(settings, "lookup-timeout", DEFAULT.lookupTimeout()),
                    whole(settings, "concurrent-lookups", DEFAULT.concurrentLookups(), 256));
        }

        private static int whole(Map<String, String> m, String key, int fallback, int max) {
            String v = m.get(key);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= 1 && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException(
                    "routing-limit " + key + "=" + Responder.cut(v) + ": give " + KEYS.get(key));
        }

        private static Duration duration(Map<String, String> m, String key, Duration fallback) {
            String v = m.get(key);
            if (v == null) {
                return fallback;
            }
            String t = v.trim().toLowerCase(Locale.ROOT);
            Duration d = null;
            try {
                if (t.startsWith("pt")) {
                    d = Duration.parse(t);
                } else if (t.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                } else if (t.endsWith("s")) {
                    d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
                } else if (t.endsWith("m")) {
                    d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
                }
            } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                d = null;
            }
            if (d != null
                    && d.compareTo(Duration.ofMillis(100)) >= 0
                    && d.compareTo(Duration.ofMinutes(5)) <= 0) {
                return d;
            }
            throw new IllegalArgumentException(
                    "routing-limit "
                            + key
                            + "="
                            + Responder.cut(v)
                            + ": give a duration from "
                            + KEYS.get(key)
                            + ", e.g. 10s, 500ms, 2m");
        }
    }

    private final RoutingV1Backend backend;
    private final Limits limits;
    private final Clock clock;
    private final Semaphore lookups;

    public RoutingV1(RoutingV1Backend backend, Limits limits, Clock clock) {
        this.backend = backend;
        this.limits = limits;
        this.clock = clock;
        this.lookups = new Semaphore(limits.concurrentLookups());
    }

    /** Whether a request target belongs to this API (and not to the trustless gateway). */
    static boolean handles(String target) {
        return target.equals(PREFIX) || target.startsWith(PREFIX + "/");
    }

    /** Whether a request may carry a body: a PUT (an IPNS record; others are answered 501). */
    static boolean takesBody(String method, String target) {
        return method.equals("PUT");
    }

    /** The largest body taken ({@link #takesBody}). */
    static int maxBodyBytes() {
        return IpnsRecord.MAX_RECORD_BYTES;
    }

    Responder.Reply respond(
            String method, String target, String accept, String contentType, byte[] body) {
        Responder.Reply r = route(method, target, accept, contentType, body);
        r.headers().put("Access-Control-Allow-Origin", "*");
        r.headers().put("Access-Control-Allow-Methods", "GET, PUT, OPTIONS");
        return r;
    }

    private Responder.Reply route(
            String method, String target, String accept, String contentType, byte[] body) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Map<String, String> query = query(q < 0 ? "" : target.substring(q + 1));
        if (method.equals("OPTIONS")) {
            Responder.Reply r = new Responder.Reply(204, new LinkedHashMap<>(), new byte[0], null);
            r.headers().put("Access-Control-Allow-Headers", "Content-Type, Accept");
            r.headers().put("Access-Control-Max-Age", "86400");
            return r;
        }
        String rest = path.length() > PREFIX.length() ? path.substring(PREFIX.length() + 1) : "";
        int slash = rest.indexOf('/');
        String kind = slash < 0 ? rest : rest.substring(0, slash);
        String arg = slash < 0 ? null : rest.substring(slash + 1);
        boolean read = method.equals("GET") || method.equals("HEAD");
        switch (kind) {
            case "providers", "peers" -> {
                if (method.equals("PUT") && (arg == null || arg.isEmpty())) {
                    return Responder.Reply.error(
                            501,
                            "PUT "
                                    + PREFIX
                                    + "/"
                                    + kind
                                    + " is not implemented here; storage nodes announce"
                                    + " through the DHT");
                }
                if (arg == null || arg.isEmpty() || arg.contains("/")) {
                    return unknownPath(path);
                }
                if (!read) {
                    return notAllowed(method, "GET, HEAD, OPTIONS");
                }
                return kind.equals("providers")
                        ? providers(arg, accept, query)
                        : peers(arg, accept, query);
            }
            case "dht" -> {
                String p = "closest/peers/";
                if (arg == null
                        || !arg.startsWith(p)
                        || arg.length() == p.length()
                        || arg.indexOf('/', p.length()) >= 0) {
                    return unknownPath(path);
                }
                if (!read) {
                    return notAllowed(method, "GET, HEAD, OPTIONS");
                }
                return closest(arg.substring(p.length()), accept, query);
            }
            case "ipns" -> {
                if (arg == null || arg.isEmpty() || arg.contains("/")) {
                    return unknownPath(path);
                }
                if (read) {
                    return getName(arg, accept);
                }
                if (method.equals("PUT")) {
                    return putName(arg, contentType, body);
                }
                return notAllowed(method, "GET, HEAD, PUT, OPTIONS");
            }
            default -> {
                return unknownPath(path);
            }
        }
    }

    private Responder.Reply providers(String arg, String accept, Map<String, String> query) {
        Cid cid;
        try {
            cid = Cid.parse(arg);
        } catch (IllegalArgumentException e) {
            return Responder.Reply.error(
                    400,
                    "'"
                            + Responder.cut(arg)
                            + "' is not a CID ("
                            + e.getMessage()
                            + "); ask for "
                            + PREFIX
                            + "/providers/{cid}, e.g. a bafy... CIDv1");
        }
        boolean stream = accepts(accept, NDJSON);
        int max = stream ? limits.maxStreamResults() : limits.maxJsonResults();
        return lookup(
                "providers of " + cid,
                found -> backend.providers(cid, max, limits.lookupTimeout(), found),
                "Providers",
                stream,
                max,
                query,
                "no providers of " + cid + " found");
    }

    private Responder.Reply peers(String arg, String accept, Map<String, String> query) {
        PeerId peer;
        try {
            peer = PeerId.parse(arg);
        } catch (IdentityException | MultiformatException e) {
            return Responder.Reply.error(
                    400,
                    "'"
                            + Responder.cut(arg)
                            + "' is not a peer id ("
                            + e.getMessage()
                            + "); use 12D3KooW... or a libp2p-key CIDv1 (k51...)");
        }
        boolean stream = accepts(accept, NDJSON);
        int max = stream ? limits.maxStreamResults() : limits.maxJsonResults();
        return lookup(
                "peer " + peer,
                found -> backend.peers(peer, limits.lookupTimeout()).forEach(found),
                "Peers",
                stream,
                max,
                query,
                "peer " + peer + " not found");
    }

    private Responder.Reply closest(String arg, String accept, Map<String, String> query) {
        byte[] key;
        try {
            key = Cid.parse(arg).multihash().toBytes();
        } catch (IllegalArgumentException notCid) {
            try {
                key = PeerId.parse(arg).toBytes();
            } catch (IllegalArgumentException e) {
                return Responder.Reply.error(
                        400,
                        "'"
                                + Responder.cut(arg)
                                + "' is neither a CID nor a peer id; ask for "
                                + PREFIX
                                + "/dht/closest/peers/{cid or peer id}");
            }
        }
        boolean stream = accepts(accept, NDJSON);
        int max = stream ? limits.maxStreamResults() : limits.maxJsonResults();
        byte[] k = key;
        return lookup(
                "peers closest to " + arg,
                found -> backend.closestPeers(k, max, limits.lookupTimeout()).forEach(found),
                "Peers",
                stream,
                max,
                query,
                "no DHT peers closest to " + Responder.cut(arg) + " found");
    }

    /** A lookup that hands each record to {@code found} as it is found, and returns at its end. */
    @FunctionalInterface
    private interface Lookup {
        void run(Consumer<Peer> found) throws InterruptedException;
    }

    /**
     * Runs {@code op} for JSON (the records merged by peer, answered at the end) or NDJSON (each
     * record written as the lookup finds it, the first time its peer is found), with the filters
     * and at most {@code max} records.
     */
    private Responder.Reply lookup(
            String what,
            Lookup op,
            String field,
            boolean stream,
            int max,
            Map<String, String> query,
            String none) {
        String protocols = query.get("filter-protocols");
        String addrs = query.get("filter-addrs");
        if (stream) {
            Map<String, String> h = found();
            h.put("Content-Type", NDJSON);
            return new Responder.Reply(
                    200,
                    h,
                    null,
                    null,
                    emit -> streamed(what, op, max, protocols, addrs, none, emit));
        }
        Map<PeerId, Peer> merged = new LinkedHashMap<>();
        Responder.Reply failed =
                run(
                        what,
                        op,
                        p -> {
                            synchronized (merged) {
                                merged.merge(p.id(), p, RoutingV1::union);
                            }
                        });
        if (failed != null) {
            return failed;
        }
        List<Peer> out;
        synchronized (merged) {
            out = filter(new ArrayList<>(merged.values()), protocols, addrs);
        }
        if (out.size() > max) {
            out = out.subList(0, max);
        }
        if (out.isEmpty()) {
            return notFound(none);
        }
        StringBuilder sb = new StringBuilder("{\"").append(field).append("\":[");
        for (int i = 0; i < out.size(); i++) {
            json(i == 0 ? sb : sb.append(','), out.get(i));
        }
        sb.append("]}");
        Map<String, String> h = found();
        h.put("Content-Type", JSON);
        return new Responder.Reply(200, h, sb.toString().getBytes(StandardCharsets.UTF_8), null);
    }

    /** The NDJSON lookup on a gateway worker; lines go to {@code emit} as records are found. */
    private Responder.Reply streamed(
            String what,
            Lookup op,
            int max,
            String protocols,
            String addrs,
            String none,
            Consumer<byte[]> emit) {
        Set<PeerId> sent = new HashSet<>();
        boolean[] over = {false};
        Responder.Reply failed =
                run(
                        what,
                        op,
                        p -> {
                            List<Peer> kept = filter(List.of(p), protocols, addrs);
                            synchronized (sent) {
                                // a late find (an address lookup outliving the lookup) is dropped
                                if (over[0] || kept.isEmpty() || sent.size() == max) {
                                    return;
                                }
                                if (sent.add(p.id())) {
                                    String line = json(new StringBuilder(), kept.get(0)) + "\n";
                                    emit.accept(line.getBytes(StandardCharsets.UTF_8));
                                }
                            }
                        });
        synchronized (sent) {
            over[0] = true;
            if (!sent.isEmpty()) {
                return null; // a failure after the first line: the lines found stand
            }
        }
        return failed != null ? failed : notFound(none);
    }

    /** Runs {@code op} under the cap on lookups at once; null, or the error to answer. */
    private Responder.Reply run(String what, Lookup op, Consumer<Peer> found) {
        Responder.Reply busy = acquire();
        if (busy != null) {
            return busy;
        }
        try {
            op.run(found);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Responder.Reply.error(503, "the gateway is shutting down");
        } catch (RuntimeException e) {
            LOG.warn("routing: looking up {} failed", what, e);
            return Responder.Reply.error(502, "looking up " + what + " failed: " + e.getMessage());
        } finally {
            lookups.release();
        }
    }

    /** One record of a peer found twice: the addresses of both, the first's protocols. */
    private static Peer union(Peer a, Peer b) {
        Set<Multiaddr> all = new LinkedHashSet<>(a.addrs());
        all.addAll(b.addrs());
        return new Peer(
                a.id(), List.copyOf(all), a.protocols().isEmpty() ? b.protocols() : a.protocols());
    }

    private static Map<String, String> found() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "public, max-age=" + FOUND_MAX_AGE);
        h.put("Vary", "Accept");
        return h;
    }

    private static Responder.Reply notFound(String none) {
        Responder.Reply r = Responder.Reply.error(404, none);
        r.headers().put("Cache-Control", "public, max-age=" + NOT_FOUND_MAX_AGE);
        r.headers().put("Vary", "Accept");
        return r;
    }

    private Responder.Reply acquire() {
        if (lookups.tryAcquire()) {
            return null;
        }
        Responder.Reply r =
                Responder.Reply.error(
                        429,
                        "too many routing lookups at once (at most "
                                + limits.concurrentLookups()
                                + "); retry shortly");
        r.headers().put("Retry-After", "1");
        return r;
    }

    private Responder.Reply getName(String arg, String accept) {
        if (!accepts(accept, IpnsRecord.MEDIA_TYPE)) {
            return Responder.Reply.error(
                    406,
                    "an IPNS record is served as "
                            + IpnsRecord.MEDIA_TYPE
                            + "; retry with Accept: "
                            + IpnsRecord.MEDIA_TYPE);
        }
        Named n = named(arg);
        if (n.refused() != null) {
            return n.refused();
        }
        PeerId name = n.name();
        Responder.Reply busy = acquire();
        if (busy != null) {
            return busy;
        }
        IpnsRecord rec;
        try {
            rec = backend.resolveName(name, limits.lookupTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Responder.Reply.error(503, "the gateway is shutting down");
        } catch (RuntimeException e) {
            LOG.info("routing: resolving /ipns/{} failed: {}", name, e.toString());
            return Responder.Reply.error(
                    502, "resolving /ipns/" + name + " failed: " + e.getMessage());
        } finally {
            lookups.release();
        }
        if (rec == null) {
            Responder.Reply r =
                    Responder.Reply.error(404, "no IPNS record of " + name + " was found");
            r.headers().put("Cache-Control", "public, max-age=" + IPNS_DEFAULT_MAX_AGE);
            return r;
        }
        long ttl = rec.ttl().toSeconds();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", IpnsRecord.MEDIA_TYPE);
        h.put("Etag", '"' + sha256(rec.entry()) + '"');
        h.put("Cache-Control", "public, max-age=" + (ttl > 0 ? ttl : IPNS_DEFAULT_MAX_AGE));
        h.put("Vary", "Accept");
        return new Responder.Reply(200, h, rec.entry(), null);
    }

    private Responder.Reply putName(String arg, String contentType, byte[] body) {
        String type =
                contentType == null
                        ? ""
                        : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals(IpnsRecord.MEDIA_TYPE)) {
            return Responder.Reply.error(
                    415,
                    "send the record as Content-Type: "
                            + IpnsRecord.MEDIA_TYPE
                            + (type.isEmpty() ? " (none was given)" : " (got " + type + ")"));
        }
        Named n = named(arg);
        if (n.refused() != null) {
            return n.refused();
        }
        PeerId name = n.name();
        IpnsRecord rec;
        try {
            rec = IpnsRecord.verify(name, body == null ? new byte[0] : body, clock.millis());
        } catch (IpnsException e) {
            return Responder.Reply.error(
                    400, "the record is not a valid record of " + name + ": " + e.getMessage());
        }
        Responder.Reply busy = acquire();
        if (busy != null) {
            return busy;
        }
        try {
            backend.publishName(rec, limits.lookupTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Responder.Reply.error(503, "the gateway is shutting down");
        } catch (IpnsException e) {
            return Responder.Reply.error(
                    400, "the record of " + name + " was refused: " + e.getMessage());
        } finally {
            lookups.release();
        }
        return new Responder.Reply(200, new LinkedHashMap<>(), new byte[0], null);
    }

    /** An {@code /ipns/{name}} request's name, or why it is refused. */
    private record Named(PeerId name, Responder.Reply refused) {}

    /**
     * The name GET and PUT of {@code /ipns/{name}} are about: a bad name is a 400 naming what is
     * wrong, and a node without a DHT answers 501 (it neither resolves nor publishes).
     */
    private Named named(String arg) {
        PeerId name;
        try {
            name = IpnsRecord.parseName(arg);
        } catch (IpnsException e) {
            return new Named(null, Responder.Reply.error(400, e.getMessage()));
        }
        return backend.servesNames() ? new Named(name, null) : new Named(null, noNames());
    }

    private static Responder.Reply noNames() {
        return Responder.Reply.error(
                501, "this node has no DHT, so it neither resolves nor publishes IPNS records");
    }

    private static Responder.Reply unknownPath(String path) {
        return Responder.Reply.error(
                400,
                "unknown routing path '"
                        + Responder.cut(path)
                        + "'; this node serves "
                        + PREFIX
                        + "/providers/{cid}, "
                        + PREFIX
                        + "/peers/{peer-id}, "
                        + PREFIX
                        + "/dht/closest/peers/{key} and "
                        + PREFIX
                        + "/ipns/{name}");
    }

    private static Responder.Reply notAllowed(String method, String allow) {
        Responder.Reply r =
                Responder.Reply.error(
                        405,
                        "method " + Responder.cut(method) + " is not allowed here; use " + allow);
        r.headers().put("Allow", allow);
        return r;
    }

    /**
     * IPIP-484: {@code protocols} keeps records that list one of them ({@code unknown} matches a
     * record without protocols); {@code addrs} keeps addresses that have a positive name (if any is
     * given) and no {@code !}-negated one, and drops a record all of whose addresses went.
     */
    static List<Peer> filter(List<Peer> peers, String protocols, String addrs) {
        List<String> ps = list(protocols);
        List<String> as = list(addrs);
        List<Peer> out = new ArrayList<>();
        for (Peer p : peers) {
            if (!ps.isEmpty()) {
                boolean keep =
                        p.protocols().isEmpty()
                                ? ps.contains("unknown")
                                : p.protocols().stream().anyMatch(ps::contains);
                if (!keep) {
                    continue;
                }
            }
            if (as.isEmpty() || p.addrs().isEmpty()) {
                out.add(p);
                continue;
            }
            List<Multiaddr> kept = p.addrs().stream().filter(a -> addrMatches(a, as)).toList();
            if (!kept.isEmpty()) {
                out.add(new Peer(p.id(), kept, p.protocols()));
            }
        }
        return out;
    }

    private static boolean addrMatches(Multiaddr a, List<String> filters) {
        List<String> names =
                a.parts().stream().map(part -> part.protocol().protocolName()).toList();
        boolean anyPositive = false;
        boolean positiveHit = false;
        for (String f : filters) {
            if (f.startsWith("!")) {
                if (names.contains(f.substring(1))) {
                    return false;
                }
            } else {
                anyPositive = true;
                positiveHit |= names.contains(f);
            }
        }
        return !anyPositive || positiveHit;
    }

    private static List<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    static StringBuilder json(StringBuilder sb, Peer p) {
        sb.append("{\"Schema\":\"peer\",\"ID\":");
        JsonStrings.quote(sb, p.id().toBase58());
        sb.append(",\"Addrs\":[");
        for (int i = 0; i < p.addrs().size(); i++) {
            JsonStrings.quote(i == 0 ? sb : sb.append(','), p.addrs().get(i).toString());
        }
        sb.append("],\"Protocols\":[");
        for (int i = 0; i < p.protocols().size(); i++) {
            JsonStrings.quote(i == 0 ? sb : sb.append(','), p.protocols().get(i));
        }
        return sb.append("]}");
    }

    /** Whether {@code accept} lists {@code type} (or {@code type/*}, or any) with q above 0. */
    static boolean accepts(String accept, String type) {
        if (accept == null) {
            return false;
        }
        String major = type.substring(0, type.indexOf('/')) + "/*";
        for (String item : accept.split(",")) {
            String[] parts = item.split(";");
            String t = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!t.equals(type) && !t.equals(major) && !(t.equals("*/*") && !type.equals(NDJSON))) {
                continue;
            }
            boolean zero = false;
            for (int i = 1; i < parts.length; i++) {
                String prm = parts[i].trim();
                if (prm.startsWith("q=")) {
                    try {
                        zero = Double.parseDouble(prm.substring(2)) <= 0;
                    } catch (NumberFormatException e) {
                        zero = false;
                    }
                }
            }
            if (!zero) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> query(String q) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                String v = kv.substring(eq + 1);
                try {
                    v = java.net.URLDecoder.decode(v, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    // a malformed %-escape: the filter is matched as written
                }
                out.put(kv.substring(0, eq), v);
            }
        }
        return out;
    }

    private static String sha256(byte[] b) {
        return HexFormat.of().formatHex(Multihash.sha2_256(b).digest());
    }
}
