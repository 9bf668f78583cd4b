package io.ipdm.connectors.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipdm.lakes.Block;
import io.ipdm.lakes.car.CarWriter;
import io.ipdm.lakes.node.NodeInfo;
import io.ipdm.lakes.verify.AttestationException;
import io.ipdm.lakes.verify.RecordFrames;
import io.ipdm.mesh.records.SignedRecord;
import io.ipdm.multiformats.Cid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's or a CLI command's line to a local {@code ipdm node}: its admin endpoint on 127.0.0.1
 * (blocks, attestations, verdicts; see {@code AttestationService}) and its gateway (row proofs).
 * The node is named by its lake directory (its {@code node.json} holds both addresses) or by the
 * admin URL.
 */
public final class NodeClient {
    public static final int MAX_RECORDS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI admin;
    private final URI gateway;
    private final HttpClient http;
    private final Duration timeout;

    public NodeClient(URI admin, URI gateway, Duration timeout) {
        this.admin = admin;
        this.gateway = gateway;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * The node named by {@code node}: an {@code http://} admin URL, or a lake directory of a
     * running node.
     *
     * @throws IllegalArgumentException saying how to start or name a node
     */
    public static NodeClient locate(String node, Duration timeout) {
        if (node.startsWith("http://") || node.startsWith("https://")) {
            return new NodeClient(URI.create(strip(node)), null, timeout);
        }
        Path lake = Path.of(node);
        NodeInfo info;
        try {
            info = NodeInfo.read(lake);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(
                    "no ipdm node is running on lake "
                            + node
                            + " (no "
                            + NodeInfo.FILE
                            + "); start one with `ipdm node --lake "
                            + node
                            + " --role processing`, or name one with --node http://127.0.0.1:PORT");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read " + NodeInfo.file(lake) + ": " + e.getMessage());
        }
        return new NodeClient(
                URI.create(info.admin()),
                info.gateway() == null ? null : URI.create(info.gateway()),
                timeout);
    }

    private static String strip(String u) {
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    public URI admin() {
        return admin;
    }

    /** The node's gateway, or null when it has none or was named by its admin URL. */
    public URI gateway() {
        return gateway;
    }

    /** Stores {@code blocks} on the node, {@code root} pinned. */
    public void putBlocks(Cid root, List<Block> blocks) throws IOException {
        ByteArrayOutputStream car = new ByteArrayOutputStream();
        CarWriter w = new CarWriter(car, List.of(root));
        for (Block b : blocks) {
            w.write(b);
        }
        putCar(car.toByteArray());
    }

    /** Stores the blocks of a CAR v1 on the node, its roots pinned. */
    public void putCar(byte[] car) throws IOException {
        HttpResponse<String> r = send(post("/ipdm/blocks", car));
        if (r.statusCode() != 200) {
            throw new IOException(
                    "node "
                            + admin
                            + " refused the blocks: "
                            + r.statusCode()
                            + " "
                            + reason(r.body()));
        }
    }

    /**
     * Hands a signed attestation to the node, which checks it and publishes it.
     *
     * @throws IOException with the node's reason when it refuses it
     */
    public void attest(SignedRecord r) throws IOException {
        HttpResponse<String> resp = send(post("/ipdm/attestations", r.encoded()));
        if (resp.statusCode() != 200) {
            throw new IOException("node " + admin + " refused " + r + ": " + reason(resp.body()));
        }
    }

    /** The node's current attestation records for every window {@code root} was attested for. */
    public List<SignedRecord> attestations(Cid root) throws IOException {
        HttpRequest req =
                HttpRequest.newBuilder(admin.resolve("/ipdm/attestations/" + root))
                        .timeout(timeout)
                        .GET()
                        .build();
        HttpResponse<byte[]> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            throw new IOException(
                    "node "
                            + admin
                            + " answered "
                            + r.statusCode()
                            + ": "
                            + reason(new String(r.body(), StandardCharsets.UTF_8)));
        }
        try {
            return RecordFrames.decode(r.body(), MAX_RECORDS, 8192);
        } catch (AttestationException e) {
            throw new IOException("node " + admin + " sent malformed records: " + e.getMessage());
        }
    }

    /** The node's verdict on {@code root} as JSON. */
    public String status(Cid root) throws IOException {
        HttpResponse<String> r =
                send(
                        HttpRequest.newBuilder(admin.resolve("/ipdm/verify/" + root))
                                .timeout(timeout)
                                .GET()
                                .build());
        if (r.statusCode() != 200) {
            throw new IOException(
                    "node " + admin + " answered " + r.statusCode() + ": " + reason(r.body()));
        }
        return r.body();
    }

    /**
     * The node's verdict on {@code root} in one word: {@code verified}, {@code disputed}, {@code
     * pending}, or {@code invalid} when the answer names no state.
     */
    public String verdict(Cid root) throws IOException {
        Matcher m = STATE.matcher(status(root));
        return m.find() ? m.group(1) : "invalid";
    }

    private static final Pattern STATE = Pattern.compile("\"state\":\"(\\w+)\"");

    /**
     * A row proof from {@code gatewayUri} ({@code GET /ipdm/proof/ROOT?row=}): the CAR bytes, or an
     * IOException with the gateway's reason (e.g. which field of the nearest row differs).
     */
    public byte[] proof(URI gatewayUri, Cid root, String rowJson) throws IOException {
        URI u =
                URI.create(
                        strip(gatewayUri.toString())
                                + "/ipdm/proof/"
                                + root
                                + "?row="
                                + URLEncoder.encode(rowJson, StandardCharsets.UTF_8)
                                        .replace("+", "%20"));
        HttpRequest req = HttpRequest.newBuilder(u).timeout(timeout).GET().build();
        HttpResponse<byte[]> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new IOException("cannot reach the gateway " + gatewayUri + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            throw new IOException(
                    "gateway "
                            + gatewayUri
                            + " has no proof ("
                            + r.statusCode()
                            + "): "
                            + new String(r.body(), StandardCharsets.UTF_8).strip());
        }
        return r.body();
    }

    /**
     * The node's reason in an admin reply: the {@code error} of its JSON ({@code {"error": ...}},
     * as every admin handler answers), else the body as sent.
     */
    static String reason(String body) {
        String b = body.strip();
        if (b.startsWith("{")) {
            try {
                JsonNode error = JSON.readTree(b).path("error");
                if (error.isTextual()) {
                    return error.asText();
                }
            } catch (IOException e) {
                // not JSON after all: the body as sent says more than the parse error
            }
        }
        return b;
    }

    private HttpRequest post(String path, byte[] body) {
        return HttpRequest.newBuilder(admin.resolve(path))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private HttpResponse<String> send(HttpRequest req) throws IOException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private IOException unreachable(Exception e) {
        return new IOException(
                "cannot reach the ipdm node at "
                        + admin
                        + " ("
                        + e.getMessage()
                        + "); is `ipdm node` running?");
    }
}
