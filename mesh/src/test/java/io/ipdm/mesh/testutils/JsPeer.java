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
 * The one driver of the JS test peer ({@code mesh/src/test/js/peer.mjs}): a js-libp2p 3 node with
 * TCP, Noise, Yamux, identify (+ push) and ping, plus the {@link Service}s asked for (gossipsub,
 * kad-dht, a Helia 7 node with Bitswap and UnixFS, the ipns package), in a child process driven by
 * JSON lines. Every command gets one answer; other output arrives as events ({@link #await}). Tests
 * skip when node or the npm modules are missing ({@code .ci/setup.d/mesh.sh} installs them). Used
 * by the mesh, lava-lakes and dataflow tests (the mesh test jar). {@link #close()} kills the
 * process and its children by PID.
 */
public final class JsPeer implements AutoCloseable {
    /** What the peer runs besides TCP, Noise, Yamux, identify and ping. */
    public enum Service {
        /**
         * {@code @libp2p/websockets}: also listens on /ip4/127.0.0.1/tcp/0/ws ({@link #wsAddr}).
         */
        WEBSOCKETS("ws", "@libp2p/websockets"),
        GOSSIPSUB("gossipsub", "@libp2p/gossipsub"),
        KAD("kad", "@libp2p/kad-dht"),
        /**
         * kad-dht in client mode: it looks up and provides through DHT servers but answers no
         * queries, so it is in no routing table (how Helia runs by default).
         */
        KAD_CLIENT("kadclient", "@libp2p/kad-dht"),
        HELIA("helia", "@helia/bitswap"),
        /**
         * Helia's default libp2p stack ({@code libp2pDefaults()}: TCP, WebSockets, WebRTC, relay;
         * Noise and TLS; identify, ping, kad-dht client, dcutr, ...) instead of the minimal one,
         * minus its internet-only services.
         */
        LIBP2P_DEFAULTS("defaults", "@helia/libp2p"),
        /**
         * The npm {@code ipns} package (what Helia and js kad-dht use): the {@code ipns-*}
         * commands, and with {@link #KAD} the DHT validates /ipns/ records with its validator.
         */
        IPNS("ipns", "ipns");

        final String arg;
        final String module;

        Service(String arg, String module) {
            this.arg = arg;
            this.module = module;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final String peerId;
    private final Multiaddr addr;
    private final Multiaddr wsAddr;

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
                await(e -> e.path("event").asText().equals("ready"), Duration.ofSeconds(90));
        this.peerId = ready.get("peerId").asText();
        Multiaddr a = null;
        Multiaddr ws = null;
        for (JsonNode text : ready.get("addrs")) {
            Multiaddr m;
            try {
                m = Multiaddr.parse(text.asText());
            } catch (RuntimeException notOurs) {
                continue; // a transport we do not speak (/webrtc-direct, ...): the next one
            }
            List<Multiaddr.Part> parts = m.withoutPeerId().parts();
            if (parts.size() == 2 && a == null) {
                a = m;
            } else if (parts.size() == 3
                    && parts.get(2).protocol() == io.ipdm.mesh.multiaddr.Protocol.WS
                    && ws == null) {
                ws = m;
            }
        }
        if (a == null) {
            throw new IllegalStateException("js peer has no TCP address: " + ready.get("addrs"));
        }
        io.ipdm.mesh.identity.PeerId id = io.ipdm.mesh.identity.PeerId.parse(peerId);
        this.addr = a.withPeerId(id);
        this.wsAddr = ws == null ? null : ws.withPeerId(id);
    }

    /**
     * mesh/src/test/js, found from the working directory of any module's tests (the module
     * directory) or of the repository root.
     */
    public static Path jsDir() {
        for (Path p : List.of(Path.of("src/test/js"), Path.of("mesh/src/test/js"))) {
            if (Files.isRegularFile(p.resolve("peer.mjs"))) {
                return p;
            }
        }
        return Path.of("..", "mesh", "src", "test", "js");
    }

    /** Whether node's modules for {@code services} are installed (tests skip otherwise). */
    public static boolean available(Service... services) {
        Path dir = jsDir();
        if (!Files.isDirectory(dir.resolve("node_modules/libp2p"))) {
            return false;
        }
        for (Service s : services) {
            if (!Files.isDirectory(dir.resolve("node_modules/" + s.module))) {
                return false;
            }
        }
        return true;
    }

    /** Starts a peer with gossipsub (the default peer of the gossip and transport tests). */
    public static JsPeer start() throws IOException {
        return start(Service.GOSSIPSUB);
    }

    /**
     * Starts a peer running {@code services}, or skips the test when node or the npm modules are
     * missing.
     */
    public static JsPeer start(Service... services) throws IOException {
        Path dir = jsDir();
        assumeTrue(
                available(services),
                "js-libp2p/Helia modules not installed in "
                        + dir.toAbsolutePath()
                        + "; run .ci/setup.d/mesh.sh (npm ci)");
        List<String> cmd = new ArrayList<>(List.of("node", "peer.mjs"));
        for (Service s : services) {
            cmd.add(s.arg);
        }
        Process p;
        try {
            // IPDM_JS_PEER_LOG=FILE (with DEBUG=libp2p:* for js's own logging) keeps the
            // peer's stderr for debugging
            String log = System.getenv("IPDM_JS_PEER_LOG");
            p =
                    new ProcessBuilder(cmd)
                            .directory(dir.toFile())
                            .redirectError(
                                    log == null
                                            ? ProcessBuilder.Redirect.DISCARD
                                            : ProcessBuilder.Redirect.appendTo(
                                                    new java.io.File(log)))
                            .start();
        } catch (IOException e) {
            assumeTrue(false, "node not found on PATH: " + e.getMessage());
            throw e;
        }
        try {
            return new JsPeer(p);
        } catch (RuntimeException | IOException e) {
            kill(p);
            throw e;
        }
    }

    public String peerId() {
        return peerId;
    }

    /** The first TCP listen address, with /p2p/. */
    public Multiaddr addr() {
        return addr;
    }

    /**
     * The first WebSocket listen address ({@code .../tcp/N/ws/p2p/...}); started with {@link
     * Service#WEBSOCKETS} (or {@link Service#LIBP2P_DEFAULTS}).
     */
    public Multiaddr wsAddr() {
        if (wsAddr == null) {
            throw new IllegalStateException("js peer has no /ws listen address");
        }
        return wsAddr;
    }

    /**
     * Sends a command (keys and values alternate; values become JSON numbers, strings, ...) and
     * waits for its answer; fails on an error answer. Unless given, {@code timeoutMs} (how long the
     * peer may work on it) is set to {@code timeout}.
     */
    public JsonNode call(String cmd, Duration timeout, Object... kv) {
        ObjectNode o = JSON.createObjectNode();
        int id = ids.incrementAndGet();
        o.put("cmd", cmd);
        o.put("id", id);
        o.put("timeoutMs", timeout.toMillis());
        for (int i = 0; i < kv.length; i += 2) {
            o.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
        }
        try {
            synchronized (stdin) {
                stdin.write((o + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
        } catch (IOException e) {
            throw new IllegalStateException("js peer is gone", e);
        }
        JsonNode r = await(e -> e.path("id").asInt(-1) == id, timeout.plusSeconds(5));
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
                                + (process.isAlive() ? "" : " (the process exited)")
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
