package io.ipdm.lakes.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.BlockSource;
import io.ipdm.lakes.LakesException;
import io.ipdm.lakes.car.CarWriter;
import io.ipdm.lakes.ipld.InlineBlocks;
import io.ipdm.lakes.ipld.Links;
import io.ipdm.multiformats.Cid;
import io.ipdm.multiformats.MultiformatException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The IPFS trustless gateway subset (<a
 * href="https://specs.ipfs.tech/http-gateways/trustless-gateway/">spec</a>): {@code GET|HEAD
 * /ipfs/{cid}} with {@code ?format=raw} (or {@code Accept: application/vnd.ipld.raw}) for one block
 * and {@code ?format=car} (or {@code Accept: application/vnd.ipld.car}) for a CARv1 of the DAG,
 * depth-first, with {@code dag-scope=block|all}. Only verifiable responses are served: 400 for a
 * bad CID, path or format, 404 for an unknown block, 410 for a deleted one, 405 for other methods.
 */
public final class Gateway implements AutoCloseable {
    static final String RAW = "application/vnd.ipld.raw";
    static final String CAR = "application/vnd.ipld.car";

    private final HttpServer server;
    private final ExecutorService executor;
    private final BlockSource source;

    private Gateway(HttpServer server, ExecutorService executor, BlockSource source) {
        this.server = server;
        this.executor = executor;
        this.source = source;
    }

    /** Starts serving {@code source} on {@code address} (port 0 picks a free port). */
    public static Gateway start(BlockSource source, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        4,
                        r -> {
                            Thread t = new Thread(r, "lake-gateway");
                            t.setDaemon(true);
                            return t;
                        });
        Gateway g = new Gateway(server, executor, source);
        server.createContext("/", g::handle);
        server.setExecutor(executor);
        server.start();
        return g;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                error(ex, 405, "method " + method + " is not allowed; use GET or HEAD");
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            if (!path.startsWith("/ipfs/")) {
                error(ex, 404, "only /ipfs/{cid} is served here");
                return;
            }
            String rest = path.substring("/ipfs/".length());
            if (rest.contains("/") && !rest.endsWith("/")) {
                error(ex, 400, "paths inside a DAG are not supported; request /ipfs/{cid}");
                return;
            }
            Cid cid;
            try {
                cid = Cid.parse(rest.replace("/", ""));
            } catch (MultiformatException e) {
                error(ex, 400, "invalid CID '" + rest + "': " + e.getMessage());
                return;
            }
            Query q = Query.parse(ex.getRequestURI().getRawQuery());
            String format = format(q.get("format"), ex.getRequestHeaders().getFirst("Accept"));
            if (format == null) {
                error(
                        ex,
                        400,
                        "request a verifiable response: ?format=raw or ?format=car (or an Accept header of "
                                + RAW
                                + " or "
                                + CAR
                                + ")");
                return;
            }
            if (format.startsWith("bad:")) {
                error(ex, 400, "unsupported format '" + format.substring(4) + "'; use raw or car");
                return;
            }
            String scope = q.getOrDefault("dag-scope", "all");
            if (!scope.equals("all") && !scope.equals("block")) {
                error(ex, 400, "unsupported dag-scope '" + scope + "'; use block or all");
                return;
            }
            if (!InlineBlocks.isInline(cid) && source.isGone(cid)) {
                error(ex, 410, "block " + cid + " was deleted from this node");
                return;
            }
            Block root = InlineBlocks.get(source, cid);
            if (root == null) {
                error(ex, 404, "block " + cid + " not found");
                return;
            }
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Cache-Control", "public, max-age=29030400, immutable");
            ex.getResponseHeaders().set("X-Ipfs-Roots", cid.toString());
            if (format.equals("raw")) {
                ex.getResponseHeaders().set("Content-Type", RAW);
                ex.getResponseHeaders().set("Etag", "\"" + cid + ".raw\"");
                ex.getResponseHeaders()
                        .set("Content-Disposition", "attachment; filename=\"" + cid + ".bin\"");
                if (head) {
                    ex.getResponseHeaders()
                            .set("Content-Length", Integer.toString(root.data().length));
                    ex.sendResponseHeaders(200, -1);
                } else {
                    ex.sendResponseHeaders(200, root.data().length);
                    ex.getResponseBody().write(root.data());
                }
                return;
            }
            List<Block> blocks = new ArrayList<>();
            try {
                if (scope.equals("block")) {
                    if (!InlineBlocks.isInline(cid)) {
                        blocks.add(root);
                    }
                } else {
                    Links.walk(source, cid, blocks::add);
                }
            } catch (LakesException | MultiformatException e) {
                error(ex, 404, e.getMessage());
                return;
            }
            ex.getResponseHeaders().set("Content-Type", CAR + "; version=1; order=dfs; dups=n");
            ex.getResponseHeaders().set("Etag", "\"" + cid + ".car." + scope + "\"");
            ex.getResponseHeaders()
                    .set("Content-Disposition", "attachment; filename=\"" + cid + ".car\"");
            if (head) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
                CarWriter w = new CarWriter(out, List.of(cid));
                for (Block b : blocks) {
                    w.write(b);
                }
            }
        } catch (RuntimeException e) {
            error(ex, 500, "internal error: " + e.getMessage());
        }
    }

    /** "raw", "car", "bad:x", or null when the request names no verifiable format. */
    static String format(String param, String accept) {
        if (param != null) {
            return param.equals("raw") || param.equals("car") ? param : "bad:" + param;
        }
        if (accept != null) {
            if (accept.contains(RAW)) {
                return "raw";
            }
            if (accept.contains(CAR)) {
                return "car";
            }
        }
        return null;
    }

    private static void error(HttpExchange ex, int status, String message) {
        try {
            byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(status, -1);
            } else {
                ex.sendResponseHeaders(status, body.length);
                ex.getResponseBody().write(body);
            }
        } catch (IOException ignored) {
            // the client went away, or headers were already sent
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
