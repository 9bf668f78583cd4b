package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ipdm.lakes.cli.LakeCommands;
import io.ipdm.lakes.policy.StorageConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Exit code 2 (bad input) from every command for the same three mistakes: an input file or
 * directory that is not there, one that cannot be read as what the command expects (a directory
 * where a file goes, a path below a regular file, a Unix socket: all three unreadable for root too,
 * so these cases run in CI), and an option value out of its range or form. Each case also prints
 * one message on stderr naming the path and what is wrong with it. {@link
 * #everyPathArgumentIsWalked} keeps the cases in step with the command tree: a new option or
 * parameter of type Path must get a case here or a reason to be left out.
 */
class ExitCodesTest {
    @TempDir static Path tmp;

    /**
     * Stands for a file that does not exist; DIR for a directory; BELOW_FILE for a path whose
     * parent is a regular file (ENOTDIR); SOCKET for a Unix socket (open fails with ENXIO).
     */
    static final String MISSING = "MISSING";

    static final String DIR = "DIR";
    static final String BELOW_FILE = "BELOW_FILE";
    static final String SOCKET = "SOCKET";
    static final String GOOD = "GOOD";

    /** Path options and parameters that name an output or something created when missing. */
    static final Set<String> NOT_INPUTS =
            Set.of(
                    "id --key", // created on first use
                    "net subscribe --key",
                    "net unsubscribe --key",
                    "run --key",
                    "lake --dir", // a lake is created where it is opened
                    "node --lake",
                    "wasm add --store", // created on first add
                    "wasm add --lake",
                    "wasm init --dir", // where the scaffold is written
                    "solana to-car --output",
                    "solana gen-car --output",
                    "solana index --output",
                    "cluster --state-dir", // where the cluster's state is kept
                    "cluster start --state-dir",
                    "cluster stop --state-dir",
                    "cluster status --state-dir",
                    "cluster add-taskmanager --state-dir");

    @BeforeAll
    static void files() throws IOException {
        Files.createDirectories(tmp.resolve("dir"));
        Files.writeString(
                tmp.resolve("good.yaml"),
                """
                name: good
                sources:
                  - {id: txs, kind: solana-synthetic, table: transactions, options: {duration: 1s}}
                sinks:
                  - {id: out, kind: jsonl, input: txs, options: {path: out}}
                """);
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(tmp.resolve("socket")));
        }
    }

    record Case(String what, List<String> args) {
        @Override
        public String toString() {
            return what + ": ipdm " + String.join(" ", args);
        }
    }

    private static Case c(String what, String... args) {
        return new Case(what, List.of(args));
    }

    static Stream<Case> cases() {
        String root = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
        List<Case> all = new ArrayList<>();
        for (String f : List.of(MISSING, DIR, BELOW_FILE, SOCKET)) {
            all.add(c(f, "run", f));
            all.add(c(f, "validate", f));
            all.add(c(f, "explain", f));
            all.add(c(f, "submit", f, "--jobmanager", "127.0.0.1:1"));
            all.add(c(f, "wasm", "check", f));
            all.add(c(f, "wasm", "add", f, "--store", "STORE"));
            all.add(c(f, "wasm", "test", f));
            all.add(
                    c(
                            f, "wasm", "init", "m", "--lang", "c", "--stage", "txs", "--for", f,
                            "--dir", "OUT"));
            all.add(c(f, "lake", "--dir", "LAKE", "import-car", f));
            all.add(c(f, "net", "subscribe", f, "--node", "LAKE"));
            all.add(c(f, "node", "--lake", "LAKE", "--config", f));
            all.add(c(f, "node", "--lake", "LAKE", "--trust", f));
            all.add(c(f, "verify", root, "--node", "LAKE", "--trust", f));
            all.add(c(f, "solana", "index", f));
            all.add(c(f, "solana", "gen-car", f, "-o", "OUT/x.car"));
            all.add(c(f, "solana", "to-car", f, "-o", "OUT/x.car"));
        }
        // a directory is what these read: only its absence is the mistake
        all.add(c(MISSING, "lake", "--dir", "LAKE", "put", MISSING));
        all.add(c(MISSING, "wasm", "build", MISSING));
        all.add(c(MISSING, "node", "status", "--lake", MISSING));
        all.add(c(MISSING, "run", GOOD, "--from-savepoint", MISSING));
        all.add(c(MISSING, "submit", GOOD, "--jobmanager", "127.0.0.1:1", "--jar", MISSING));
        all.add(c(MISSING, "run", GOOD, "--replay", MISSING));
        all.add(c(MISSING, "validate", GOOD, "--replay", MISSING));
        all.add(c(MISSING, "explain", GOOD, "--replay", MISSING));
        // option values out of their range or form
        all.add(c("bad value", "run", GOOD, "--stop-after", "soon"));
        all.add(c("bad value", "run", GOOD, "--set", "no-equals-sign"));
        all.add(c("bad value", "validate", GOOD, "--set", "runtime.parallelism=many"));
        all.add(c("bad value", "wasm", "check", GOOD, "--rows", "-1"));
        all.add(c("bad value", "wasm", "init", "m", "--lang", "cobol", "--dir", "OUT"));
        all.add(c("bad value", "lake", "--dir", "LAKE", "--config", "hot-bytes=lots", "gc"));
        all.add(c("bad value", "lake", "--dir", "LAKE", "stat", "not-a-cid"));
        all.add(c("bad value", "net", "simulate", "--nodes", "0"));
        all.add(c("bad value", "node", "--lake", "LAKE", "--role", "oracle"));
        all.add(c("bad value", "verify", root, "--node", "LAKE", "--quorum", "0"));
        all.add(c("bad value", "verify", "not-a-cid", "--node", "LAKE"));
        all.add(c("bad value", "solana", "index", GOOD, "--epoch", "soon"));
        all.add(c("bad value", "kinds", "no-such-kind"));
        all.add(c("bad value", "cluster", "start", "--taskmanagers", "0"));
        return all.stream();
    }

    private static String path(String word) {
        return switch (word) {
            case MISSING -> tmp.resolve("no-such-file").toString();
            case DIR -> tmp.resolve("dir").toString();
            case BELOW_FILE -> tmp.resolve("good.yaml").resolve("below").toString();
            case SOCKET -> tmp.resolve("socket").toString();
            case GOOD -> tmp.resolve("good.yaml").toString();
            default -> word;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitsTwoWithAMessage(Case c, @TempDir Path own) {
        List<String> args = new ArrayList<>();
        for (String a : c.args()) {
            args.add(
                    switch (a) {
                        case "LAKE" -> own.resolve("lake").toString();
                        case "STORE" -> own.resolve("store").toString();
                        case "OUT" -> own.resolve("out").toString();
                        case "OUT/x.car" -> own.resolve("x.car").toString();
                        default -> path(a);
                    });
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        // a guard against a case that would start a server instead of failing, not a timing check
        int code =
                assertTimeoutPreemptively(
                        Duration.ofMinutes(2), () -> cl.execute(args.toArray(String[]::new)));
        assertThat(code).as("exit code; stderr: %s", err).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).as("stderr").isNotBlank();
        if (!c.what().equals("bad value")) {
            assertThat(err.toString()).as("stderr names the path").contains(path(c.what()));
        }
        String why = why(c);
        if (why != null) {
            assertThat(err.toString()).as("stderr says what is wrong with it").contains(why);
        }
    }

    /**
     * Exit 1, not 2: a well-formed request for content the lake does not hold and no peer sent in
     * time is a failure at run time, not a usage error (a malformed CID stays a "bad value" above).
     * The peer is a socket that accepts connections and never speaks, so the read times out.
     */
    @Test
    void aMissingBlockOrANetworkTimeoutExitsOne(@TempDir Path own) throws Exception {
        String cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
        String lake = own.resolve("lake").toString();
        String notFound = "ipdm lake: block " + cid + " not found";
        assertThat(exit(notFound, "lake", "--dir", lake, "get", cid)).isEqualTo(1);
        assertThat(exit(notFound, "lake", "--dir", lake, "get", "/ipfs/" + cid + "/a/b.txt"))
                .isEqualTo(1);
        assertThat(exit(notFound, "lake", "--dir", lake, "stat", cid)).isEqualTo(1);
        assertThat(
                        exit(
                                "ipdm lake: cannot pin " + cid + ": the block is not in the lake",
                                "lake",
                                "--dir",
                                lake,
                                "pin",
                                cid))
                .isEqualTo(1);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String peer =
                    "/ip4/127.0.0.1/tcp/"
                            + silent.getLocalPort()
                            + "/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
            assertThat(
                            exit(
                                    "ipdm lake: block "
                                            + cid
                                            + " is not in this lake and none of the 1 peers asked"
                                            + " sent it within 1000 ms",
                                    "lake",
                                    "--dir",
                                    lake,
                                    "get",
                                    cid,
                                    "--network",
                                    peer,
                                    "--read-timeout",
                                    "1s"))
                    .isEqualTo(1);
        }
    }

    /**
     * A lake another process holds open (a running node; here this JVM, which RocksDB's lock
     * refuses alike) fails at run time, exit 1 as docs/node.md says, naming what to do.
     */
    @Test
    void aLakeInUseExitsOne(@TempDir Path own) throws Exception {
        Path dir = own.resolve("lake");
        try (LakeCommands held = LakeCommands.open(dir, StorageConfig.defaults())) {
            assertThat(
                            exit(
                                    "ipdm lake: the lake at " + dir + " is in use",
                                    "lake",
                                    "--dir",
                                    dir.toString(),
                                    "stat",
                                    "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"))
                    .isEqualTo(1);
        }
    }

    /** A --network address without the peer's id is a usage error naming the option, exit 2. */
    @Test
    void aNetworkPeerWithoutItsIdIsAUsageError(@TempDir Path own) {
        String cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
        assertThat(
                        exit(
                                "--network /ip4/127.0.0.1/tcp/4001 has no /p2p/ID",
                                "lake",
                                "--dir",
                                own.resolve("lake").toString(),
                                "get",
                                cid,
                                "--network",
                                "/ip4/127.0.0.1/tcp/4001"))
                .isEqualTo(2);
    }

    /** A project directory that is not there is said once, in words, without a class name. */
    @Test
    void wasmBuildOfAMissingDirectorySaysSoOnce() {
        String missing = path(MISSING);
        StringWriter err = new StringWriter();
        CommandLine cl = IpdmCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("wasm", "build", missing)).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString())
                .isEqualTo("ipdm wasm build: " + missing + ": no such file or directory\n");
        Path file = tmp.resolve("good.yaml");
        err.getBuffer().setLength(0);
        assertThat(cl.execute("wasm", "build", file.toString())).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString())
                .isEqualTo(
                        "ipdm wasm build: "
                                + file
                                + ": is a file, not a module project directory\n");
    }

    /** The exit code of {@code args}, whose stderr must contain {@code message}. */
    private static int exit(String message, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        int code = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> cl.execute(args));
        assertThat(err.toString()).as("stderr").contains(message);
        return code;
    }

    /** What the message must say about an input that is there but cannot be read as a file. */
    private static String why(Case c) {
        boolean blockDirs = c.args().contains("gen-car") || c.args().contains("to-car");
        return switch (c.what()) {
            case DIR -> blockDirs ? "no getBlock files" : "is a directory, not a file";
            case BELOW_FILE -> path(GOOD) + " is a file, not a directory";
            case SOCKET -> "is a socket, not a regular file";
            default -> null;
        };
    }

    /**
     * Every option and parameter of type Path (or a list of them) in the tree is an input some case
     * above gives as missing, or is listed in {@link #NOT_INPUTS}.
     */
    @Test
    void everyPathArgumentIsWalked() {
        Set<String> walked = new TreeSet<>();
        cases().forEach(c -> walked.add(String.join(" ", c.args())));
        List<String> missing = new ArrayList<>();
        for (CommandLine cl : IpdmCli.tree(IpdmCli.commandLine())) {
            CommandLine.Model.CommandSpec s = cl.getCommandSpec();
            String name = s.qualifiedName().replaceFirst("^ipdm ?", "");
            for (CommandLine.Model.ArgSpec a : s.args()) {
                boolean path =
                        a.type() == Path.class
                                || (List.class.isAssignableFrom(a.type())
                                        && a.auxiliaryTypes().length > 0
                                        && a.auxiliaryTypes()[0] == Path.class);
                if (!path) {
                    continue;
                }
                String label =
                        a instanceof CommandLine.Model.OptionSpec o
                                ? name + " " + o.longestName()
                                : name + " " + a.paramLabel();
                if (NOT_INPUTS.contains(label)) {
                    continue;
                }
                String given =
                        a instanceof CommandLine.Model.OptionSpec o
                                ? o.longestName() + " " + MISSING
                                : MISSING;
                List<String> words = List.of(name.split(" "));
                boolean found =
                        walked.stream().anyMatch(w -> w.contains(given) && namesCommand(w, words));
                if (!found) {
                    missing.add(label);
                }
            }
        }
        assertThat(missing).as("Path arguments without a missing-file case").isEmpty();
    }

    /** Whether the words of a command line name the command {@code words} (options between). */
    private static boolean namesCommand(String line, List<String> words) {
        List<String> args = List.of(line.split(" "));
        int at = 0;
        for (String w : words) {
            int i = args.subList(at, args.size()).indexOf(w);
            if (i < 0) {
                return false;
            }
            at += i + 1;
        }
        return true;
    }
}
