package io.ipdm.mesh.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a {@link MetricRegistry} for Prometheus: {@code GET /metrics} answers the text exposition
 * format. One thread answers scrapes (Prometheus scrapes every few seconds at most).
 */
public final class MetricsEndpoint implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code host:port} (port 0: any free one) and starts serving.
     *
     * @throws IOException naming the address when it cannot be bound
     */
    public static MetricsEndpoint start(MetricRegistry registry, String host, int port)
            throws IOException {
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new IOException(
                    "cannot serve Prometheus metrics on "
                            + host
                            + ":"
                            + port
                            + " ("
                            + e.getMessage()
                            + "); choose another metrics port or free that one",
                    e);
        }
        ExecutorService ex =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "ipdm-metrics");
                            t.setDaemon(true);
                            return t;
                        });
        s.createContext("/metrics", x -> serve(x, registry));
        s.setExecutor(ex);
        s.start();
        return new MetricsEndpoint(s, ex);
    }

    private static void serve(HttpExchange x, MetricRegistry registry) throws IOException {
        try (x) {
            if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            boolean head = x.getRequestMethod().equals("HEAD");
            x.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream o = x.getResponseBody()) {
                    o.write(body);
                }
            }
        }
    }

    /** The port bound (the chosen one when started with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The scrape URL. */
    public String url() {
        String h = server.getAddress().getHostString();
        return "http://" + (h.equals("0.0.0.0") ? "localhost" : h) + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
