package io.ipdm.lakes.gateway;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP requests to a running {@link Gateway}, for the tests that check its answers. */
final class GatewayRequests {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private GatewayRequests() {}

    /** {@code METHOD path} with the given header name/value pairs, body read whole. */
    static HttpResponse<byte[]> send(Gateway g, String method, String path, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(g.baseUri().resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The response's first value of header {@code name}, or null. */
    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }
}
