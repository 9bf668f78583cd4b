package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The one exit-code mapping of the admin commands ({@link NodeAdmin#exitCode}), through the
 * commands themselves against an HTTP server answering as a node would: the method each command
 * uses, the node's error on stderr, and its answer on stdout.
 */
class NodeAdminTest {
    private HttpServer server;
    private String admin;
    private volatile int status;
    private volatile String body;
    private volatile String method;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                ex -> {
                    try (ex) {
                        method = ex.getRequestMethod();
                        byte[] b = body.getBytes(StandardCharsets.UTF_8);
                        ex.getResponseHeaders().set("Content-Type", "application/json");
                        ex.sendResponseHeaders(status, b.length);
                        try (OutputStream o = ex.getResponseBody()) {
                            o.write(b);
                        }
                    }
                });
        server.start();
        admin = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(String... args) {
        CommandLine cl = IpdmCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"200, 0", "400, 2", "403, 2", "409, 2", "404, 1", "500, 1", "503, 1", "302, 1"})
    void statusToExitCode(int status, int exit) {
        assertThat(NodeAdmin.exitCode(status)).isEqualTo(exit);
    }

    @Test
    void everyAdminCommandMapsTheNodesAnswerTheSameWay() {
        status = 400;
        body = "{\"error\":\"'example.com' is not an IPNS name\"}";
        assertThat(run("name", "resolve", "example.com", "--node", admin))
                .isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(method).isEqualTo("GET");
        assertThat(err.toString())
                .isEqualTo("ipdm name resolve: 'example.com' is not an IPNS name\n");

        err.getBuffer().setLength(0);
        status = 404;
        body = "{\"error\":\"no record found\"}";
        assertThat(run("name", "resolve", "k51x", "--node", admin)).isEqualTo(IpdmCli.JOB_FAILED);
        assertThat(err.toString()).isEqualTo("ipdm name resolve: no record found\n");

        err.getBuffer().setLength(0);
        status = 500;
        body = "{\"error\":\"java.io.IOException: disk full\"}";
        assertThat(
                        run(
                                "name",
                                "publish",
                                "bafybeiaysi4s6lnjev27ln5icwm6tueaw2vdykrtjkwiphwekaywqhcjze",
                                "--node",
                                admin))
                .isEqualTo(IpdmCli.JOB_FAILED);
        assertThat(method).isEqualTo("POST");
        assertThat(err.toString()).isEqualTo("ipdm name publish: java.io.IOException: disk full\n");

        // the same mapping for the durability commands, and the node's words when it gives none
        err.getBuffer().setLength(0);
        status = 400;
        body = "{}";
        assertThat(run("net", "ranking", "--node", admin)).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).isEqualTo("ipdm net ranking: " + admin + " answered 400: {}\n");

        // no node on a lake directory: a usage error whose hint is the command's own option
        err.getBuffer().setLength(0);
        assertThat(run("name", "resolve", "k51x", "--node", "no-such-lake"))
                .isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).endsWith(" or give --node URL\n");
        err.getBuffer().setLength(0);
        assertThat(run("node", "status", "--lake", "no-such-lake")).isEqualTo(IpdmCli.BAD_INPUT);
        assertThat(err.toString()).endsWith(" or give --admin URL\n");

        status = 200;
        body = "{\"value\":\"/ipfs/bafy\"}";
        assertThat(run("name", "resolve", "k51x", "--node", admin)).isZero();
        assertThat(out.toString()).isEqualTo("/ipfs/bafy\n");
    }
}
