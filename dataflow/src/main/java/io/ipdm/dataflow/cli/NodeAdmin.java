package io.ipdm.dataflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.lakes.node.NodeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

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

    /** A response: status code and body. */
    record Reply(int status, String body) {
        JsonNode json() throws Unreachable {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new Unreachable(
                        "the node answered " + status + " without JSON: " + body, false);
            }
        }
    }

    final String base;
    private final String hint;

    private NodeAdmin(String base, String hint) {
        this.base = base;
        this.hint = hint;
    }

    /** The node running on lake directory {@code lake}. */
    static NodeAdmin ofLake(Path lake) throws Unreachable {
        Path info = NodeConfig.infoFile(lake);
        try {
            String admin = JSON.readTree(Files.readString(info)).path("admin").asText();
            return new NodeAdmin(
                    admin, "; it may have stopped without removing " + NodeConfig.infoFile(lake));
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
            throw new Unreachable("cannot read " + info + ": " + e, true);
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
            HttpResponse<String> r =
                    http.send(
                            req.timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body().strip());
        } catch (IOException | IllegalArgumentException e) {
            throw new Unreachable(
                    "the node at " + base + " does not answer (" + e + ")" + hint, false);
        }
    }
}
