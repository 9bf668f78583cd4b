package io.ipdm.jobs.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server (JDK HttpServer) for archive tests: {@code /archive.car} serves a file
 * with {@code Range: bytes=a-b} (206 with Content-Range), and {@code /rpc} answers Solana JSON-RPC
 * getSlot and getBlock from getBlock JSON by slot (-32007 for slots without a block). The first
 * {@code failRanges} range requests fail with HTTP 503; {@code delayRanges} makes every range
 * answer wait (cold storage), so a backfill lasts long enough to be interrupted. {@code
 * failBlocks(from, n)} answers getBlock requests number {@code from} .. {@code from + n - 1}
 * (counted from 0) with HTTP 400, an error the RPC client does not retry, so the reader fails;
 * {@code delayBlocks} makes every getBlock answer wait, so live reading lasts over checkpoints.
 */
public final class ArchiveHttpServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    private final HttpServer server;
    private volatile Path archive;
    private final Map<Long, byte[]> blocks = new ConcurrentHashMap<>();
    public final Set<Long> requestedSlots = ConcurrentHashMap.newKeySet();
    public final AtomicInteger blockRequests = new AtomicInteger();
    public final AtomicInteger rangeRequests = new AtomicInteger();
    private final AtomicInteger failRanges = new AtomicInteger();
    private volatile long failBlocksFrom = -1;
    private volatile long failBlocksTo = -1;
    public final AtomicInteger failedBlockRequests = new AtomicInteger();
    private volatile long tip;
    private volatile long delayMillis;
    private volatile long delayBlockMillis;

    public ArchiveHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/archive.car", this::archive);
        server.createContext("/rpc", this::rpc);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String archiveUrl() {
        return base() + "/archive.car";
    }

    public String rpcUrl() {
        return base() + "/rpc";
    }

    public ArchiveHttpServer serve(Path file) {
        this.archive = file;
        return this;
    }

    public ArchiveHttpServer failRanges(int n) {
        failRanges.set(n);
        return this;
    }

    public ArchiveHttpServer failBlocks(long from, long n) {
        failBlocksFrom = from;
        failBlocksTo = from + n;
        return this;
    }

    public ArchiveHttpServer delayBlocks(java.time.Duration delay) {
        delayBlockMillis = delay.toMillis();
        return this;
    }

    public ArchiveHttpServer delayRanges(java.time.Duration delay) {
        delayMillis = delay.toMillis();
        return this;
    }

    public ArchiveHttpServer block(long slot, byte[] json) {
        blocks.put(slot, json);
        tip = Math.max(tip, slot);
        return this;
    }

    private void archive(HttpExchange ex) throws IOException {
        rangeRequests.incrementAndGet();
        String range = ex.getRequestHeaders().getFirst("Range");
        long size = Files.size(archive);
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m == null || !m.matches()) {
            reply(ex, 400, "a range request is expected".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (failRanges.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            reply(ex, 503, "busy".getBytes(StandardCharsets.UTF_8));
            return;
        }
        sleep(delayMillis);
        long from = Long.parseLong(m.group(1));
        long to = Math.min(Long.parseLong(m.group(2)), size - 1);
        if (from >= size) {
            ex.getResponseHeaders().add("Content-Range", "bytes */" + size);
            reply(ex, 416, new byte[0]);
            return;
        }
        byte[] body = new byte[(int) (to - from + 1)];
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "r")) {
            f.seek(from);
            f.readFully(body);
        }
        ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + size);
        reply(ex, 206, body);
    }

    private void rpc(HttpExchange ex) throws IOException {
        JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
        String id = req.path("id").toString();
        String method = req.path("method").asText();
        String body;
        if (method.equals("getSlot")) {
            body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + tip + "}";
        } else if (method.equals("getBlock")) {
            long slot = req.path("params").path(0).asLong();
            int ordinal = blockRequests.getAndIncrement();
            if (ordinal >= failBlocksFrom && ordinal < failBlocksTo) {
                failedBlockRequests.incrementAndGet();
                reply(ex, 400, "injected failure".getBytes(StandardCharsets.UTF_8));
                return;
            }
            requestedSlots.add(slot);
            sleep(delayBlockMillis);
            byte[] block = blocks.get(slot);
            body =
                    block == null
                            ? "{\"jsonrpc\":\"2.0\",\"id\":"
                                    + id
                                    + ",\"error\":{\"code\":-32007,\"message\":\"Slot "
                                    + slot
                                    + " was skipped\"}}"
                            : "{\"jsonrpc\":\"2.0\",\"id\":"
                                    + id
                                    + ",\"result\":"
                                    + new String(block, StandardCharsets.UTF_8)
                                    + "}";
        } else {
            body =
                    "{\"jsonrpc\":\"2.0\",\"id\":"
                            + id
                            + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}";
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        reply(ex, 200, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
