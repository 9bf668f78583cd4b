package io.ipdm.lakes.node;

import com.sun.net.httpserver.HttpExchange;
import io.ipdm.mesh.json.JsonStrings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the node's admin handlers share (node status, durability, names, attestations): query
 * parameters in, JSON replies out, errors as {@code {"error": message}}.
 */
public final class AdminHttp {
    private AdminHttp() {}

    /** The decoded {@code key=value} pairs of a raw query string (none when null). */
    public static Map<String, String> query(String raw) {
        Map<String, String> out = new TreeMap<>();
        if (raw == null) {
            return out;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Sends {@code json} with {@code status}, one line. */
    public static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    /** {@code {"error": message}}. */
    public static String error(String message) {
        return JsonStrings.quote(new StringBuilder("{\"error\":"), message).append('}').toString();
    }
}
