package io.ipdm.dataflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.lakes.node.NodeInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The admin endpoint of a running {@code ipdm node}, found from its lake directory ({@code
 * DIR/node.json}) or given as a URL; what {@code ipdm node status} and {@code ipdm net} talk to.
 */
final class NodeAdmin {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A node that cannot be found or does not answer; the message says what to do. */
    static final class Unreachable extends Exception {
        final boolean badInput;

        Unreachable(String message, boolean badInput) {
            super(message);
            this.badInput = badInput;
        }

        int exitCode() {
            return badInput ? IpdmCli.BAD_INPUT : IpdmCli.JOB_FAILED;
        }
    }

    /** A response to {@code path}: status code and body. */
    record Reply(String path, int status, String body) {
        JsonNode json() throws Unreachable {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new Unreachable(
                        "the node answered " + status + " without JSON: " + body, false);
            }
        }
    }

    /** Finds the node a command asks: from {@code --node}, {@code --lake}/{@code --admin}. */
    @FunctionalInterface
    interface Locator {
        NodeAdmin find() throws Unreachable;
    }

    final String base;
    private final String hint;

    private NodeAdmin(String base, String hint) {
        this.base = base;
        this.hint = hint;
    }

    /** The node running on lake directory {@code lake}. */
    static NodeAdmin ofLake(Path lake) throws Unreachable {
        Path info = NodeInfo.file(lake);
        try {
            return new NodeAdmin(
                    NodeInfo.read(lake).admin(), "; it may have stopped without removing " + info);
        } catch (NoSuchFileException e) {
            throw new Unreachable(
                    "no node is running on "
                            + lake
                            + " (no "
                            + info.getFileName()
                            + "); start one with `ipdm node --lake "
                            + lake
                            + "` or give --admin URL",
                    true);
        } catch (IOException e) {
            throw new Unreachable("cannot read " + info + ": " + e.getMessage(), true);
        }
    }

    /** The node whose admin endpoint is {@code url}. */
    static NodeAdmin ofUrl(String url) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return new NodeAdmin(u, "");
    }

    /** {@code node} is a URL (http:// or https://) or a lake directory. */
    static NodeAdmin of(String node) throws Unreachable {
        return node.startsWith("http://") || node.startsWith("https://")
                ? ofUrl(node)
                : ofLake(Path.of(node));
    }

    /**
     * What every read-only admin command does: find the node, GET {@code path}, print the JSON as
     * served ({@code --json}) or {@code table} of it; a failure is one line on stderr, {@code ipdm
     * COMMAND: ...}, naming the node and what to do.
     *
     * @param role the role whose endpoint {@code path} is (null: every node serves it)
     * @return the exit code: 0, 2 (no such node, or it lacks the role), 1 (it fails to answer)
     */
    static int show(
            CommandSpec spec,
            String command,
            Locator node,
            String path,
            String role,
            boolean json,
            Function<JsonNode, String> table)
            throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            NodeAdmin admin = node.find();
            Reply r = admin.get(path);
            JsonNode answer = admin.answer(r, role);
            if (r.status() != 200) {
                throw new Unreachable(
                        answer.path("error").asText(admin.base + " answered " + r.status()), false);
            }
            out.print(json ? r.body() + "\n" : table.apply(answer));
            out.flush();
            return IpdmCli.OK;
        } catch (Unreachable e) {
            return fail(spec, command, e.getMessage(), e.exitCode());
        }
    }

    /**
     * The JSON of {@code r}: a 404 without JSON is an endpoint this node does not serve (it was not
     * started with {@code --role ROLE}), said so; any other answer without JSON is the node's
     * failure.
     */
    JsonNode answer(Reply r, String role) throws Unreachable {
        if (r.status() == 404 && !r.body().startsWith("{")) {
            throw new Unreachable(
                    "the node at "
                            + base
                            + " has no "
                            + r.path()
                            + " endpoint"
                            + (role == null
                                    ? "; is " + base + " an ipdm node's admin address?"
                                    : "; ask a node started with --role " + role),
                    true);
        }
        return r.json();
    }

    /** Prints {@code ipdm COMMAND: message} on stderr and returns {@code code}. */
    static int fail(CommandSpec spec, String command, String message, int code) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("ipdm " + command + ": " + message);
        err.flush();
        return code;
    }

    Reply get(String path) throws Unreachable, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Reply post(String path, byte[] body) throws Unreachable, InterruptedException {
        return send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private URI uri(String path) throws Unreachable {
        try {
            return URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new Unreachable("'" + base + "' is not an admin URL: " + e.getMessage(), true);
        }
    }

    private Reply send(HttpRequest.Builder req) throws Unreachable, InterruptedException {
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest request = req.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(request.uri().getPath(), r.statusCode(), r.body().strip());
        } catch (IOException | IllegalArgumentException e) {
            throw new Unreachable(
                    "the node at " + base + " does not answer (" + e + ")" + hint, false);
        }
    }
}
