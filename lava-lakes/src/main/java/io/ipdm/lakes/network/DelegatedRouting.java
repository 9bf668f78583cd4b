package io.ipdm.lakes.network;

import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.ipld.CodecException;
import io.ipdm.lakes.ipld.DagJson;
import io.ipdm.mesh.identity.PeerId;
import io.ipdm.mesh.multiaddr.Multiaddr;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContentRouting} through a <a
 * href="https://specs.ipfs.tech/routing/http-routing-v1/">Delegated Routing V1 HTTP</a> server (an
 * IPDM gateway node, Kubo, someguy, cid.contact): {@code GET /routing/v1/providers/{cid}} asks for
 * Bitswap providers ({@code ?filter-protocols=transport-bitswap,unknown}, IPIP-484) as NDJSON or
 * JSON, and {@link #findPeer} asks {@code /routing/v1/peers/{id}} where a provider came without
 * addresses. Only records of the {@code peer} schema (or the legacy {@code bitswap} one) that may
 * speak Bitswap are kept; addresses this node cannot dial are dropped.
 *
 * <p>A response is read up to {@code maxResponseBytes} (past that the answer is cut off there, and
 * what was whole is kept) and within the lookup's timeout. A 404 means none; any other status, an
 * unreadable body or a timeout fails with a {@link DelegatedRoutingException} naming the URL and
 * what happened. Announcing is not done over HTTP: {@link #provide} does nothing.
 */
public final class DelegatedRouting implements ContentRouting {
    private static final Logger LOG = LoggerFactory.getLogger(DelegatedRouting.class);
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;
    private static final String BITSWAP = "transport-bitswap";

    /** A delegated router that failed: the URL asked, and the status or cause. */
    public static final class DelegatedRoutingException extends LakesException {
        public DelegatedRoutingException(String message) {
            super(message);
        }

        public DelegatedRoutingException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final URI base;
    private final int maxResponseBytes;
    private final HttpClient http;

    /**
     * @param base the router's base URL, {@code http(s)://host:port} (a path prefix is kept)
     */
    public DelegatedRouting(URI base, int maxResponseBytes) {
        this.base = checkUrl(base);
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException(
                    "a delegated routing response limit below 1 KiB is too small: "
                            + maxResponseBytes);
        }
        this.maxResponseBytes = maxResponseBytes;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
    }

    public DelegatedRouting(URI base) {
        this(base, DEFAULT_MAX_RESPONSE_BYTES);
    }

    /** Parses a router URL as users give it, naming what is wrong. */
    public static URI parseUrl(String text) {
        URI u;
        try {
            u = new URI(text.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(
                    "delegated router '" + text + "' is not a URL: " + e.getMessage());
        }
        return checkUrl(u);
    }

    private static URI checkUrl(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw new IllegalArgumentException(
                    "delegated router '"
                            + u
                            + "' must be an http:// or https:// URL with a host, e.g."
                            + " http://127.0.0.1:8080");
        }
        String s = u.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    public URI url() {
        return base;
    }

    @Override
    public Lookup findProviders(Cid cid, int max, Duration timeout) throws InterruptedException {
        URI u =
                URI.create(
                        base
                                + "/routing/v1/providers/"
                                + cid.toV1()
                                + "?filter-protocols="
                                + BITSWAP
                                + ",unknown");
        List<Provider> out = new ArrayList<>();
        for (Map<String, Object> rec : get(u, max, timeout)) {
            Provider p = provider(rec, true);
            if (p != null && out.stream().noneMatch(o -> o.peer().equals(p.peer()))) {
                out.add(p);
            }
        }
        return new Lookup(out, 0);
    }

    /** The addresses the router knows of {@code peer} (empty when none). */
    public List<Multiaddr> findPeer(PeerId peer, Duration timeout) throws InterruptedException {
        URI u = URI.create(base + "/routing/v1/peers/" + peer.toCidString());
        List<Multiaddr> out = new ArrayList<>();
        for (Map<String, Object> rec : get(u, 10, timeout)) {
            Provider p = provider(rec, false);
            if (p != null && p.peer().equals(peer)) {
                p.addresses().stream().filter(a -> !out.contains(a)).forEach(out::add);
            }
        }
        return out;
    }

    @Override
    public void provide(Cid cid) {}

    @Override
    public void stopProviding(Cid cid) {}

    @Override
    public Status status() {
        return new Status(0, List.of(), 0);
    }

    @Override
    public String toString() {
        return "delegated router " + base;
    }

    /** Records of a providers or peers answer; none on 404. */
    private List<Map<String, Object>> get(URI u, int max, Duration timeout)
            throws InterruptedException {
        HttpRequest req =
                HttpRequest.newBuilder(u)
                        .timeout(timeout)
                        .header("Accept", "application/x-ndjson, application/json;q=0.8")
                        .header("User-Agent", "ipdm")
                        .GET()
                        .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<HttpResponse<InputStream>> sent =
                http.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> resp;
        try {
            resp = sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new DelegatedRoutingException(
                    "delegated router " + u + " did not answer within " + timeout);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof java.net.http.HttpTimeoutException) {
                throw new DelegatedRoutingException(
                        "delegated router " + u + " did not answer within " + timeout, c);
            }
            throw new DelegatedRoutingException(
                    "delegated router " + u + " cannot be reached: " + c, c);
        }
        String type = resp.headers().firstValue("Content-Type").orElse("");
        byte[] body;
        boolean cut;
        try (InputStream in = resp.body()) {
            // the timeout covers the body too: a router that trickles is cut off
            AtomicBoolean late = new AtomicBoolean();
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            CompletableFuture.delayedExecutor(left, TimeUnit.MILLISECONDS)
                    .execute(
                            () -> {
                                late.set(true);
                                closeQuietly(in);
                            });
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            cut = false;
            try {
                while ((n = in.read(chunk)) > 0) {
                    int room = maxResponseBytes - buf.size();
                    buf.write(chunk, 0, Math.min(n, room));
                    if (n > room) {
                        cut = true;
                        break;
                    }
                }
            } catch (IOException e) {
                if (!late.get()) {
                    throw e;
                }
                cut = true; // the deadline passed mid-body: keep what arrived whole
            }
            body = buf.toByteArray();
        } catch (IOException e) {
            throw new DelegatedRoutingException(
                    "reading the answer of delegated router " + u + " failed: " + e, e);
        }
        int status = resp.statusCode();
        if (status == 404) {
            return List.of();
        }
        if (status != 200) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            int nl = text.indexOf('\n');
            text = nl < 0 ? text : text.substring(0, nl);
            throw new DelegatedRoutingException(
                    "delegated router "
                            + u
                            + " answered HTTP "
                            + status
                            + (text.isEmpty()
                                    ? ""
                                    : ": " + text.substring(0, Math.min(200, text.length()))));
        }
        if (cut) {
            LOG.info(
                    "delegated router {}: answer cut at {} bytes (limit or timeout)",
                    u,
                    body.length);
        }
        return records(u, type, body, cut, max);
    }

    private static List<Map<String, Object>> records(
            URI u, String type, byte[] body, boolean cut, int max) {
        String text = new String(body, StandardCharsets.UTF_8);
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            if (type.toLowerCase(Locale.ROOT).startsWith("application/x-ndjson")) {
                String[] lines = text.split("\n", -1);
                // with the answer cut off, its last line may be partial
                int whole = cut ? lines.length - 1 : lines.length;
                for (int i = 0; i < whole && out.size() < max; i++) {
                    if (!lines[i].isBlank()) {
                        if (DagJson.decode(lines[i].strip()) instanceof Map<?, ?> m) {
                            out.add(cast(m));
                        }
                    }
                }
                return out;
            }
            if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw new DelegatedRoutingException(
                        "delegated router "
                                + u
                                + " answered with Content-Type '"
                                + type
                                + "'; expected application/json or application/x-ndjson");
            }
            if (cut) {
                throw new DelegatedRoutingException(
                        "the JSON answer of delegated router "
                                + u
                                + " is larger than the limit or came too slowly");
            }
            if (DagJson.decode(text.strip()) instanceof Map<?, ?> m) {
                Object list = m.containsKey("Providers") ? m.get("Providers") : m.get("Peers");
                if (list instanceof List<?> l) {
                    for (Object o : l) {
                        if (o instanceof Map<?, ?> r && out.size() < max) {
                            out.add(cast(r));
                        }
                    }
                }
            }
            return out;
        } catch (CodecException e) {
            throw new DelegatedRoutingException(
                    "delegated router " + u + " sent malformed JSON: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /**
     * A record as a provider: null when its schema is unknown, its id does not parse, or (for
     * {@code bitswapOnly}) its protocols are listed and Bitswap is not among them.
     */
    static Provider provider(Map<String, Object> rec, boolean bitswapOnly) {
        Object schema = rec.get("Schema");
        if (!"peer".equals(schema) && !"bitswap".equals(schema)) {
            return null;
        }
        if (bitswapOnly
                && rec.get("Protocols") instanceof List<?> protos
                && !protos.isEmpty()
                && !protos.contains(BITSWAP)) {
            return null;
        }
        if (!(rec.get("ID") instanceof String id)) {
            return null;
        }
        PeerId peer;
        try {
            peer = PeerId.parse(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
        List<Multiaddr> addrs = new ArrayList<>();
        if (rec.get("Addrs") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof String s) {
                    try {
                        Multiaddr a = Multiaddr.parse(s);
                        addrs.add(a.peerId() == null ? a : a.withoutPeerId());
                    } catch (IllegalArgumentException e) {
                        // a transport this node does not speak (quic, webrtc, ...)
                    }
                }
            }
        }
        return new Provider(peer, addrs);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing to stop a late read
        }
    }
}
