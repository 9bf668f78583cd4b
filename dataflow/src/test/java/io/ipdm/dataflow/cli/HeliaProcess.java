package io.ipdm.dataflow.cli;

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Helia node as a child process: lava-lakes' {@code src/test/js/helia-peer.mjs} (libp2p over TCP
 * with Noise, Yamux, identify and Bitswap), driven by its JSON-lines commands one at a time. {@link
 * #start} returns null when node or the npm modules are missing.
 */
final class HeliaProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JS = Path.of("..", "lava-lakes", "src", "test", "js");

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    private final JsonNode ready;
    private int ids;

    private HeliaProcess(Process process) throws InterruptedException {
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
                                for (String l = r.readLine(); l != null; l = r.readLine()) {
                                    try {
                                        lines.add(JSON.readTree(l));
                                    } catch (IOException notJson) {
                                        // library output on stdout
                                    }
                                }
                            } catch (IOException ended) {
                                // the process ended
                            }
                        },
                        "helia-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        JsonNode r = lines.poll(90, TimeUnit.SECONDS);
        if (r == null || !r.path("event").asText().equals("ready")) {
            process.destroyForcibly();
            throw new IllegalStateException("Helia did not start: " + r);
        }
        this.ready = r;
    }

    /** A started Helia node, or null (with the reason printed) when node or Helia is missing. */
    static HeliaProcess start() throws Exception {
        if (!Files.isDirectory(JS.resolve("node_modules/helia"))) {
            System.out.println(
                    "Helia part skipped: no "
                            + JS.resolve("node_modules/helia").toAbsolutePath()
                            + " (run npm ci there, as .ci/setup.d does)");
            return null;
        }
        try {
            return new HeliaProcess(
                    new ProcessBuilder("node", "helia-peer.mjs")
                            .directory(JS.toFile())
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start());
        } catch (IOException e) {
            System.out.println("Helia part skipped: node not found (" + e.getMessage() + ")");
            return null;
        }
    }

    String peerId() {
        return ready.path("peerId").asText();
    }

    /** The first listen address, with /p2p/. */
    String addr() {
        String a = ready.path("addrs").get(0).asText();
        return a.contains("/p2p/") ? a : a + "/p2p/" + peerId();
    }

    /** Runs one command ({@code key, value, ...}) and returns its result. */
    JsonNode call(String cmd, long timeoutSeconds, Object... kv) throws Exception {
        ObjectNode o = JSON.createObjectNode();
        int id = ++ids;
        o.put("id", id).put("cmd", cmd);
        for (int i = 0; i < kv.length; i += 2) {
            o.putPOJO((String) kv[i], kv[i + 1]);
        }
        stdin.write((JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < end) {
            JsonNode r = lines.poll(1, TimeUnit.SECONDS);
            if (r != null && r.path("id").asInt() == id) {
                if (r.path("event").asText().equals("error")) {
                    throw new IllegalStateException("Helia " + cmd + ": " + r.path("error"));
                }
                return r;
            }
        }
        throw new IllegalStateException(
                "Helia " + cmd + " did not answer in " + timeoutSeconds + " s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
