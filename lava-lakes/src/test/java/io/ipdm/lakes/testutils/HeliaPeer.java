package io.ipdm.lakes.testutils;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Helia node (lava-lakes/src/test/js/helia-peer.mjs: libp2p over TCP with Noise, Yamux, identify,
 * and Bitswap only) in a child process driven by JSON lines. Tests skip when node or the npm
 * modules are missing ({@code .ci/setup.d/lava-lakes.sh} installs them). {@link #close()} kills the
 * process (and its children) by PID.
 */
public final class HeliaPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final OutputStream stdin;
    private final Map<Integer, BlockingQueue<JsonNode>> replies = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> ready = new LinkedBlockingQueue<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final String peerId;
    private final String addr;

    private HeliaPeer(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = r.readLine()) != null) {
                                    JsonNode e;
                                    try {
                                        e = JSON.readTree(line);
                                    } catch (IOException ex) {
                                        continue; // library noise on stdout
                                    }
                                    if (e.path("event").asText().equals("ready")) {
                                        ready.add(e);
                                    } else if (e.has("id")) {
                                        queue(e.get("id").asInt()).add(e);
                                    }
                                }
                            } catch (IOException e) {
                                // process ended
                            }
                        },
                        "helia-peer-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        JsonNode r;
        try {
            r = ready.poll(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (r == null) {
            throw new IllegalStateException("Helia peer did not start within 60 s");
        }
        this.peerId = r.get("peerId").asText();
        this.addr = r.get("addrs").get(0).asText();
    }

    private BlockingQueue<JsonNode> queue(int id) {
        return replies.computeIfAbsent(id, k -> new LinkedBlockingQueue<>());
    }

    public static Path jsDir() {
        Path p = Path.of("src/test/js");
        return Files.isDirectory(p) ? p : Path.of("lava-lakes/src/test/js");
    }

    /** Starts a Helia node, or skips the test when node or the npm modules are missing. */
    public static HeliaPeer start() throws IOException {
        Path dir = jsDir();
        assumeTrue(
                Files.isDirectory(dir.resolve("node_modules/helia"))
                        && Files.isDirectory(dir.resolve("node_modules/@helia/bitswap")),
                "Helia not installed in "
                        + dir.toAbsolutePath()
                        + "; run .ci/setup.d/lava-lakes.sh (npm ci)");
        Process p;
        try {
            p =
                    new ProcessBuilder("node", "helia-peer.mjs")
                            .directory(dir.toFile())
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
        } catch (IOException e) {
            assumeTrue(false, "node not found on PATH: " + e.getMessage());
            throw e;
        }
        try {
            return new HeliaPeer(p);
        } catch (RuntimeException e) {
            kill(p);
            throw e;
        }
    }

    public String peerId() {
        return peerId;
    }

    /** The node's TCP address with /p2p/. */
    public String addr() {
        return addr;
    }

    /** Runs a command (keys and values alternate) and returns its result; fails on an error. */
    public JsonNode call(String cmd, Duration timeout, Object... kv) {
        ObjectNode o = JSON.createObjectNode();
        int id = ids.incrementAndGet();
        o.put("cmd", cmd);
        o.put("id", id);
        for (int i = 0; i < kv.length; i += 2) {
            o.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
        }
        try {
            synchronized (stdin) {
                stdin.write((o + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
        } catch (IOException e) {
            throw new IllegalStateException("Helia peer is gone", e);
        }
        JsonNode r;
        try {
            r = queue(id).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        replies.remove(id);
        if (r == null) {
            throw new AssertionError("Helia peer: no answer to '" + cmd + "' within " + timeout);
        }
        if (r.path("event").asText().equals("error")) {
            throw new IllegalStateException(
                    "Helia peer failed '" + cmd + "': " + r.path("error").asText());
        }
        return r;
    }

    private static void kill(Process p) {
        ProcessHandle h = p.toHandle();
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill(process);
    }
}
