package io.ipdm.mesh.testutils;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipdm.mesh.multiaddr.Multiaddr;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A js-libp2p peer (mesh/src/test/js/peer.mjs) in a child process, driven by JSON lines. Tests skip
 * when node or the npm modules are missing ({@code .ci/setup.d/mesh.sh} installs them). {@link
 * #close()} kills the process by its PID.
 */
public final class JsPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final String peerId;
    private final Multiaddr addr;

    private JsPeer(Process process) throws IOException {
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
                                    try {
                                        events.add(JSON.readTree(line));
                                    } catch (IOException e) {
                                        // not one of ours (library noise on stdout)
                                    }
                                }
                            } catch (IOException e) {
                                // process ended
                            }
                        },
                        "js-peer-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        JsonNode ready =
                await(e -> e.path("event").asText().equals("ready"), Duration.ofSeconds(30));
        this.peerId = ready.get("peerId").asText();
        this.addr = Multiaddr.parse(ready.get("addrs").get(0).asText());
    }

    public static Path jsDir() {
        Path p = Path.of("src/test/js");
        return Files.isDirectory(p) ? p : Path.of("mesh/src/test/js");
    }

    /** Starts a peer, or skips the test when node or the npm modules are missing. */
    public static JsPeer start() throws IOException {
        return start("peer.mjs", "libp2p");
    }

    /**
     * Starts {@code script} (in mesh/src/test/js), or skips the test when node or the npm module
     * {@code requiredModule} is missing.
     */
    public static JsPeer start(String script, String requiredModule) throws IOException {
        Path dir = jsDir();
        assumeTrue(
                Files.isDirectory(dir.resolve("node_modules/" + requiredModule)),
                requiredModule
                        + " not installed in "
                        + dir.toAbsolutePath()
                        + "; run .ci/setup.d/mesh.sh (npm ci)");
        Process p;
        try {
            p =
                    new ProcessBuilder("node", script)
                            .directory(dir.toFile())
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
        } catch (IOException e) {
            assumeTrue(false, "node not found on PATH: " + e.getMessage());
            throw e;
        }
        try {
            return new JsPeer(p);
        } catch (RuntimeException | IOException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    public String peerId() {
        return peerId;
    }

    public Multiaddr addr() {
        return addr;
    }

    /** Sends a command and waits for its answer (matched by id); fails on an error answer. */
    public JsonNode call(String cmd, Duration timeout, String... kv) {
        ObjectNode o = JSON.createObjectNode();
        int id = ids.incrementAndGet();
        o.put("cmd", cmd);
        o.put("id", id);
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        try {
            synchronized (stdin) {
                stdin.write((o + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
        } catch (IOException e) {
            throw new IllegalStateException("js peer is gone", e);
        }
        JsonNode r = await(e -> e.path("id").asInt(-1) == id, timeout);
        if (r.path("event").asText().equals("error")) {
            throw new IllegalStateException(
                    "js peer failed '" + cmd + "': " + r.path("error").asText());
        }
        return r;
    }

    /** Waits for an event matching {@code p}, also looking at events already received. */
    public synchronized JsonNode await(Predicate<JsonNode> p, Duration timeout) {
        for (JsonNode e : seen) {
            if (p.test(e)) {
                seen.remove(e);
                return e;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode e;
            try {
                e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            if (e == null) {
                throw new AssertionError(
                        "js peer "
                                + peerId
                                + ": no matching event within "
                                + timeout
                                + "; other events: "
                                + seen);
            }
            if (p.test(e)) {
                return e;
            }
            seen.add(e);
        }
    }

    /** All events received so far that match {@code p} (drains the queue without waiting). */
    public synchronized List<JsonNode> drain(Predicate<JsonNode> p) {
        List<JsonNode> all = new ArrayList<>();
        events.drainTo(seen);
        for (JsonNode e : new ArrayList<>(seen)) {
            if (p.test(e)) {
                all.add(e);
                seen.remove(e);
            }
        }
        return all;
    }

    @Override
    public void close() {
        ProcessHandle h = process.toHandle();
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
