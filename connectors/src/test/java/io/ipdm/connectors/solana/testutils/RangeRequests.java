package io.ipdm.connectors.solana.testutils;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** The answer of a store that serves HTTP range reads, for archive tests' JDK HttpServers. */
public final class RangeRequests {
    private RangeRequests() {}

    /**
     * Answers {@code Range: bytes=FROM-TO} with 206, {@code Content-Range} and those bytes of
     * {@code body} (TO past the end read as the last byte).
     */
    public static void answer(HttpExchange ex, byte[] body) throws IOException {
        String[] r =
                ex.getRequestHeaders().getFirst("Range").substring("bytes=".length()).split("-");
        int from = Integer.parseInt(r[0]);
        int to = Math.min(Integer.parseInt(r[1]), body.length - 1);
        ex.getResponseHeaders()
                .add("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
        ex.sendResponseHeaders(206, to - from + 1);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body, from, to - from + 1);
        }
    }
}
