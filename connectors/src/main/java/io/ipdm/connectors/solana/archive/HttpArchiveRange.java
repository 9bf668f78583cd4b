package io.ipdm.connectors.solana.archive;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An archive behind an HTTP(S) URL, read with {@code Range: bytes=a-b} requests. A request that
 * fails (transport error, a status other than 206, a short or oversized body) is retried up to
 * {@code max_attempts} times with doubling, jittered backoff; then the read fails naming the URL,
 * the byte range, what was being read and the last error. A server that ignores ranges (answers
 * 200) is refused: reading a whole epoch to get one block is not what the user asked for.
 */
final class HttpArchiveRange implements ArchiveRange {
    private final String url;
    private final ArchiveOptions options;
    private final HttpClient client;
    private volatile long size = -1;

    HttpArchiveRange(String url, ArchiveOptions options) {
        this.url = url;
        this.options = options;
        this.client =
                HttpClient.newBuilder()
                        .connectTimeout(options.requestTimeout())
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
    }

    @Override
    public String name() {
        return url;
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public long size() throws IOException {
        if (size < 0) {
            // the first byte's Content-Range tells the total size
            read(0, 1, "the archive size");
        }
        return size;
    }

    @Override
    public byte[] read(long offset, int len, String context) throws IOException {
        if (size >= 0 && offset >= size) {
            return new byte[0];
        }
        long last = offset + len - 1;
        if (size >= 0) {
            last = Math.min(last, size - 1);
        }
        String range = "bytes=" + offset + "-" + last;
        String error = null;
        Duration backoff = options.initialBackoff();
        int attempts = 0;
        for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
            attempts = attempt;
            try {
                HttpRequest req =
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(options.requestTimeout())
                                .header("Range", range)
                                .GET()
                                .build();
                HttpResponse<byte[]> resp =
                        client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                int status = resp.statusCode();
                if (status == 416) {
                    return new byte[0];
                }
                if (status == 206) {
                    byte[] body = resp.body();
                    long total = total(resp.headers().firstValue("Content-Range").orElse(""));
                    if (total >= 0) {
                        size = total;
                    }
                    long expected =
                            Math.min(last, (size >= 0 ? size : Long.MAX_VALUE) - 1) - offset + 1;
                    if (body.length == expected) {
                        return body;
                    }
                    error = "the server sent " + body.length + " bytes, expected " + expected;
                } else if (status == 200) {
                    throw new ArchiveException(
                            url
                                    + ": the server ignores range requests (answered 200 to "
                                    + range
                                    + "); serve the archive from a server that supports"
                                    + " Range, or download it and give its path");
                } else {
                    error = "HTTP " + status;
                    if (status >= 400 && status < 500 && status != 408 && status != 429) {
                        break; // the request is wrong, not the moment
                    }
                }
            } catch (IOException e) {
                error = inWords(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading " + url, e);
            }
            if (attempt < options.maxAttempts()) {
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(options.maxBackoff()) > 0) {
                    backoff = options.maxBackoff();
                }
            }
        }
        throw new ArchiveException(
                url
                        + ": reading bytes "
                        + offset
                        + "-"
                        + last
                        + " ("
                        + context
                        + ") failed after "
                        + attempts
                        + (attempts == 1 ? " attempt: " : " attempts: ")
                        + error
                        + "; check the URL and the server, or raise max_attempts");
    }

    /** A transport failure in words (no exception class names in what users read). */
    private String inWords(IOException e) {
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within request_timeout ("
                    + options.requestTimeout().toMillis()
                    + " ms)";
        }
        if (e instanceof java.net.ConnectException) {
            return "cannot connect to the server"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        return "the connection failed"
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }

    private static long total(String contentRange) {
        int slash = contentRange.lastIndexOf('/');
        if (slash < 0 || contentRange.endsWith("*")) {
            return -1;
        }
        try {
            return Long.parseLong(contentRange.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void sleep(Duration d) throws IOException {
        long ms = d.toMillis();
        try {
            Thread.sleep(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during backoff", e);
        }
    }
}
