package io.ipdm.dataflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.lakes.node.NodeInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
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
 * The CLI's one client of a running {@code ipdm node}'s admin endpoint, found from its lake
 * directory ({@code DIR/node.json}) or given as a URL; what {@code ipdm node status}, {@code ipdm
 * net} and {@code ipdm name} talk to.
 *
 * <p>Exit codes, for every admin command (the CLI's convention: 2 the user's input is wrong, 1
 * something failed): see {@link #exitCode(int)} for the node's answers; no node on the lake
 * directory, a malformed URL, or an endpoint the node does not serve (a role it lacks) give 2; a
 * node that does not answer gives 1.
 */
final class NodeAdmin {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Why an admin command failed: the message for stderr and the exit code. */
    static final class Failure extends Exception {
        final int exitCode;

        Failure(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /** A request to the admin endpoint: GET {@code path}, or POST {@code body} (when not null). */
    record Request(String path, byte[] body) {
        static Request get(String path) {
            return new Request(path, null);
        }

        static Request post(String path, byte[] body) {
            return new Request(path, body);
        }
    }

    /** A response to {@code path}: status code and body. */
    record Reply(String path, int status, String body) {
        JsonNode json() throws Failure {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new Failure(
                        "the node answered " + status + " without JSON: " + body,
                        IpdmCli.JOB_FAILED);
            }
        }
    }

    /** Finds the node a command asks: from {@code --node}, {@code --lake}/{@code --admin}. */
    @FunctionalInterface
    interface Locator {
        NodeAdmin find() throws Failure;
    }

    /**
     * The exit code of a node's answer with {@code status}: 200 is 0; 404 (what was asked for is
     * not there: no record for the name, no such root) and 5xx (the node failed) are 1; any other
     * 4xx (the node refused the request as given: a malformed name or CID, a forged, stale or
     * untrusted record) is 2.
     */
    static int exitCode(int status) {
        if (status == 200) {
            return IpdmCli.OK;
        }
        return status >= 400 && status < 500 && status != 404
                ? IpdmCli.BAD_INPUT
                : IpdmCli.JOB_FAILED;
    }

    final String base;
    private final String hint;

    /**
     * When the node was found through a lake's node.json: the failure to report when its admin
     * address does not answer because the pid the file names is not running on this machine (the
     * node was killed or crashed, so the file was left behind); null when found by URL.
     */
    private final Failure stale;

    private NodeAdmin(String base, String hint, Failure stale) {
        this.base = base;
        this.hint = hint;
        this.stale = stale;
    }

    /** The node running on lake directory {@code lake}; the hint names {@code --admin URL}. */
    static NodeAdmin ofLake(Path lake) throws Failure {
        return ofLake(lake, "--admin");
    }

    /**
     * The node running on lake directory {@code lake}; {@code urlOption} is the command's option
     * that names a node by its admin URL instead, for the hint when none runs there.
     */
    private static NodeAdmin ofLake(Path lake, String urlOption) throws Failure {
        Path info = NodeInfo.file(lake);
        try {
            NodeInfo ni = NodeInfo.read(lake);
            // Only believed once the admin address does not answer either: a node in a container
            // sharing the lake directory has a pid this machine does not see.
            Failure stale =
                    ni.pid() > 0 && ProcessHandle.of(ni.pid()).map(p -> !p.isAlive()).orElse(true)
                            ? new Failure(
                                    "no node is running on "
                                            + lake
                                            + ": "
                                            + info
                                            + " names pid "
                                            + ni.pid()
                                            + ", which is not running (the node was killed or"
                                            + " crashed before removing the file); start it again"
                                            + " with `ipdm node --lake "
                                            + lake
                                            + "`, which replaces the file",
                                    IpdmCli.BAD_INPUT)
                            : null;
            return new NodeAdmin(
                    ni.admin(), "; it may have stopped without removing " + info, stale);
        } catch (NoSuchFileException e) {
            throw new Failure(
                    "no node is running on "
                            + lake
                            + " (no "
                            + info.getFileName()
                            + "); start one with `ipdm node --lake "
                            + lake
                            + "` or give "
                            + urlOption
                            + " URL",
                    IpdmCli.BAD_INPUT);
        } catch (IOException e) {
            throw new Failure("cannot read " + info + ": " + e.getMessage(), IpdmCli.BAD_INPUT);
        }
    }

    /** The node whose admin endpoint is {@code url}. */
    static NodeAdmin ofUrl(String url) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return new NodeAdmin(u, "", null);
    }

    /** {@code node} ({@code --node}) is a URL (http:// or https://) or a lake directory. */
    static NodeAdmin of(String node) throws Failure {
        return node.startsWith("http://") || node.startsWith("https://")
                ? ofUrl(node)
                : ofLake(Path.of(node), "--node");
    }

    /**
     * What every admin command that prints the node's answer does: find the node, send {@code
     * request}, print the JSON as served ({@code --json}) or {@code text} of it; a failure is one
     * line on stderr, {@code ipdm COMMAND: ...}, naming the node and what to do.
     *
     * @param role the role whose endpoint the request is for (null: every node serves it)
     * @param text the answer for people, each line ending with a newline
     * @return the exit code: 0, or as the class javadoc says
     */
    static int show(
            CommandSpec spec,
            String command,
            Locator node,
            Request request,
            String role,
            boolean json,
            Function<JsonNode, String> text)
            throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            NodeAdmin admin = node.find();
            Reply r = admin.send(request);
            JsonNode answer = admin.answer(r, role);
            if (r.status() != 200) {
                throw new Failure(
                        answer.path("error")
                                .asText(admin.base + " answered " + r.status() + ": " + r.body()),
                        exitCode(r.status()));
            }
            out.print(json ? r.body() + "\n" : text.apply(answer));
            out.flush();
            return IpdmCli.OK;
        } catch (Failure e) {
            return fail(spec, command, e.getMessage(), e.exitCode);
        }
    }

    /**
     * The JSON of {@code r}: a 404 without JSON is an endpoint this node does not serve (it was not
     * started with {@code --role ROLE}), said so; any other answer without JSON is the node's
     * failure.
     */
    JsonNode answer(Reply r, String role) throws Failure {
        if (r.status() == 404 && !r.body().startsWith("{")) {
            throw new Failure(
                    "the node at "
                            + base
                            + " has no "
                            + r.path()
                            + " endpoint"
                            + (role == null
                                    ? "; is " + base + " an ipdm node's admin address?"
                                    : "; ask a node started with --role " + role),
                    IpdmCli.BAD_INPUT);
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

    Reply get(String path) throws Failure, InterruptedException {
        return send(Request.get(path));
    }

    Reply send(Request request) throws Failure, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri(request.path()));
        if (request.body() == null) {
            req.GET();
        } else {
            req.header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        }
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest built = req.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> r = http.send(built, HttpResponse.BodyHandlers.ofString());
            return new Reply(built.uri().getPath(), r.statusCode(), r.body().strip());
        } catch (IOException | IllegalArgumentException e) {
            if (stale != null && e instanceof ConnectException) {
                throw stale;
            }
            throw new Failure(
                    "the node at " + base + " does not answer (" + e + ")" + hint,
                    IpdmCli.JOB_FAILED);
        }
    }

    private URI uri(String path) throws Failure {
        URI u;
        try {
            u = URI.create(base + path);
        } catch (IllegalArgumentException e) {
            u = null;
        }
        // URI.create takes "localhost:8080" or "node1" too; the HTTP client then fails obscurely
        if (u == null
                || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                || u.getHost() == null) {
            throw new Failure(
                    "'"
                            + base
                            + "' is not an admin URL: give http://HOST:PORT, as the node prints"
                            + " on its `status` line and writes as `admin` in DIR/node.json",
                    IpdmCli.BAD_INPUT);
        }
        return u;
    }
}
