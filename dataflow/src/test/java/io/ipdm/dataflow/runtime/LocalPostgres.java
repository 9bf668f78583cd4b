package io.ipdm.dataflow.runtime;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL server from the Debian packages ({@code .ci/setup.d/postgres.sh}): {@code
 * initdb} into a temporary directory, {@code postgres} on a free loopback port with password
 * authentication, stopped by its PID. As root both run as the {@code postgres} user (initdb refuses
 * root). Tests skip with a message where the binaries are absent.
 */
final class LocalPostgres implements AutoCloseable {
    static final String USER = "ipdm";
    static final String PASSWORD = "ipdm-test-password";
    static final String DATABASE = "solana";

    private final Path dir;
    private final Process server;
    private final int port;

    private LocalPostgres(Path dir, Process server, int port) {
        this.dir = dir;
        this.server = server;
        this.port = port;
    }

    /** The directory of initdb and postgres, if installed. */
    static Optional<Path> binaries() {
        List<Path> candidates = new ArrayList<>();
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                versions.map(v -> v.resolve("bin"))
                        .sorted(
                                Comparator.comparing(
                                                (Path p) ->
                                                        parseVersion(
                                                                p.getParent()
                                                                        .getFileName()
                                                                        .toString()))
                                        .reversed())
                        .forEach(candidates::add);
            } catch (IOException e) {
                // fall through to PATH
            }
        }
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty()) {
                candidates.add(Path.of(p));
            }
        }
        return candidates.stream()
                .filter(
                        d ->
                                Files.isExecutable(d.resolve("initdb"))
                                        && Files.isExecutable(d.resolve("postgres")))
                .findFirst();
    }

    private static int parseVersion(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Starts a server, or skips the calling test when PostgreSQL is not installed. */
    static LocalPostgres start(boolean durable) throws Exception {
        Optional<Path> bin = binaries();
        Assumptions.assumeTrue(
                bin.isPresent(),
                "PostgreSQL binaries (initdb, postgres) not found in /usr/lib/postgresql/*/bin or"
                        + " PATH: run .ci/setup (apt-get install postgresql) to run this test");
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("ipdm-pg-");
        Path data = dir.resolve("data");
        Path pwfile = dir.resolve("pw");
        Files.writeString(pwfile, PASSWORD + "\n");
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        run(
                asPostgres(
                        root,
                        List.of(
                                bin.get().resolve("initdb").toString(),
                                "-D",
                                data.toString(),
                                "-U",
                                USER,
                                "--pwfile=" + pwfile,
                                "--auth=scram-sha-256",
                                "-E",
                                "UTF8",
                                "--locale=C")));
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            List<String> cmd =
                    new ArrayList<>(
                            List.of(
                                    bin.get().resolve("postgres").toString(),
                                    "-D",
                                    data.toString(),
                                    "-p",
                                    Integer.toString(port),
                                    "-k",
                                    dir.toString(),
                                    "-c",
                                    "listen_addresses=127.0.0.1",
                                    "-c",
                                    "max_connections=50"));
            if (!durable) {
                cmd.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off"));
            }
            Process p =
                    new ProcessBuilder(asPostgres(root, cmd))
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("server.log").toFile())
                            .start();
            LocalPostgres pg = new LocalPostgres(dir, p, port);
            if (pg.awaitReady(Duration.ofSeconds(30))) {
                try (Connection c = pg.connect("postgres");
                        Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + DATABASE);
                }
                return pg;
            }
            pg.stopServer();
            last = new IOException("postgres did not start on port " + port + ": " + pg.log());
        }
        throw last;
    }

    /** {@code setpriv} runs the binary itself as postgres (no forked child), so its PID is ours. */
    private static List<String> asPostgres(boolean root, List<String> cmd) {
        if (!root) {
            return cmd;
        }
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "setpriv",
                                "--reuid=postgres",
                                "--regid=postgres",
                                "--init-groups",
                                "--reset-env"));
        all.addAll(cmd);
        return all;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private boolean awaitReady(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && server.isAlive()) {
            try (Connection c = connect("postgres")) {
                return true;
            } catch (SQLException e) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    int port() {
        return port;
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    Connection connect() throws SQLException {
        return connect(DATABASE);
    }

    private Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + db, USER, PASSWORD);
    }

    String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Fast shutdown by PID (SIGINT), then removes the data directory. */
    private void stopServer() throws InterruptedException {
        ProcessHandle h = server.toHandle();
        if (h.isAlive()) {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(h.pid())).start().waitFor();
            } catch (IOException e) {
                h.destroy();
            }
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                h.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws Exception {
        stopServer();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
