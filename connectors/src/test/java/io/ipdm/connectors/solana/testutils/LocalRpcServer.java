package io.ipdm.connectors.solana.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Solana JSON-RPC server on 127.0.0.1 (JDK HttpServer) serving getSlot and getBlock from files:
 * slots without a file answer -32007 (skipped). Failures can be scripted per slot: an HTTP status
 * (e.g. 503) or a JSON-RPC error code (e.g. -32004), consumed one per request.
 */
public final class LocalRpcServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final Map<Long, Path> blocks = new ConcurrentHashMap<>();
    private final Map<Long, Deque<Integer>> failures = new ConcurrentHashMap<>();
    public final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile long tip;

    public LocalRpcServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public LocalRpcServer block(long slot, Path file) {
        blocks.put(slot, file);
        return this;
    }

    public LocalRpcServer tip(long slot) {
        tip = slot;
        return this;
    }

    /**
     * Next requests for {@code slot} fail with these codes in order (HTTP if > 0, else JSON-RPC).
     */
    public LocalRpcServer fail(long slot, Integer... codes) {
        failures.computeIfAbsent(slot, k -> new ArrayDeque<>()).addAll(List.of(codes));
        return this;
    }

    public long count(String method) {
        synchronized (requests) {
            return requests.stream().filter(r -> method.equals(r.path("method").asText())).count();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        JsonNode req = MAPPER.readTree(ex.getRequestBody().readAllBytes());
        requests.add(req);
        String id = req.path("id").toString();
        String method = req.path("method").asText();
        if (method.equals("getSlot")) {
            reply(ex, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + tip + "}");
            return;
        }
        if (!method.equals("getBlock")) {
            reply(ex, 200, error(id, -32601, "Method not found"));
            return;
        }
        long slot = req.path("params").path(0).asLong();
        Deque<Integer> f = failures.get(slot);
        Integer code = f == null ? null : f.poll();
        if (code != null) {
            if (code > 0) {
                reply(ex, code, "busy");
            } else {
                reply(ex, 200, error(id, code, "Block not available for slot " + slot));
            }
            return;
        }
        Path file = blocks.get(slot);
        if (file == null || slot > tip) {
            reply(
                    ex,
                    200,
                    error(
                            id,
                            -32007,
                            "Slot "
                                    + slot
                                    + " was skipped, or missing due to ledger jump to recent snapshot"));
            return;
        }
        String result = Files.readString(file);
        reply(ex, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}");
    }

    private static String error(String id, int code, String message) {
        return "{\"jsonrpc\":\"2.0\",\"id\":"
                + id
                + ",\"error\":{\"code\":"
                + code
                + ",\"message\":\""
                + message
                + "\"}}";
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
