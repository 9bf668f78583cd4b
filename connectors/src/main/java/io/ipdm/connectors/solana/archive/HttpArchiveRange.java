package io.ipdm.connectors.solana.archive;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An archive behind an HTTP(S) URL, read with {@code Range: bytes=a-b} requests. A request that
 * fails (transport error, a status other than 206, a short or oversized body) is retried up to
 * {@code max_attempts} times with doubling, jittered backoff; then the read fails naming the URL,
 * the byte range, what was being read and the last error. A 206 body that sends nothing for {@code
 * request_timeout} is closed by the watchdog below and counts as a failed attempt too (the request
 * timeout covers only the wait for the headers).
 *
 * <p>A server that ignores ranges (answers 200 with the whole archive, as {@code python3 -m
 * http.server} does) is read as one stream, in order: the 200 body is kept open and each read takes
 * the next bytes of it (skipping forward as needed; the bytes of the last read are kept for a read
 * that steps back into them). A read further back, or a stream that breaks, opens the archive again
 * and skips to the offset, with the same retries. A stream that sends nothing for {@code
 * request_timeout} is closed by a watchdog and counts as a failed attempt, so a stalled server
 * cannot hang the reader. {@link #randomAccess()} then says false, so the source reads such an
 * archive as one split (see {@link ArchiveDiscovery}).
 */
final class HttpArchiveRange implements ArchiveRange {
    private static final java.util.concurrent.ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private static java.util.concurrent.ScheduledThreadPoolExecutor watchdog() {
        java.util.concurrent.ScheduledThreadPoolExecutor e =
                new java.util.concurrent.ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "archive-stream-watchdog");
                            t.setDaemon(true);
                            return t;
                        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    private final String url;
    private final ArchiveOptions options;
    private final HttpClient client;
    private volatile long size = -1;
    private volatile boolean noRanges;

    // the sequential read of a server without ranges (guarded by this)
    private InputStream stream;
    private long streamPos;
    private byte[] lastRead = new byte[0];
    private long lastReadAt;

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
    public boolean randomAccess() {
        return !noRanges;
    }

    @Override
    public long size() throws IOException {
        if (size < 0) {
            // the first byte's Content-Range (or a whole-archive answer's length) tells the size
            read(0, 1, "the archive size");
        }
        return size;
    }

    @Override
    public byte[] read(long offset, int len, String context) throws IOException {
        if (noRanges) {
            return readInOrder(offset, len, context);
        }
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
                HttpResponse<InputStream> resp = send(range);
                int status = resp.statusCode();
                if (status == 206) {
                    byte[] body;
                    try (InputStream in = resp.body()) {
                        long total = total(resp.headers().firstValue("Content-Range").orElse(""));
                        if (total >= 0) {
                            size = total;
                        }
                        long expected =
                                Math.min(last, (size >= 0 ? size : Long.MAX_VALUE) - 1)
                                        - offset
                                        + 1;
                        // one byte more than expected tells an oversized body
                        body =
                                readBody(
                                        in,
                                        offset,
                                        (int) Math.min(expected + 1, Integer.MAX_VALUE));
                        if (body.length == expected) {
                            return body;
                        }
                        error = "the server sent " + body.length + " bytes, expected " + expected;
                    }
                } else if (status == 200) {
                    return adoptWholeArchive(resp, range, offset, len, context);
                } else {
                    resp.body().close();
                    if (status == 416) {
                        return new byte[0];
                    }
                    error = "HTTP " + status;
                    if (status >= 400 && status < 500 && status != 408 && status != 429) {
                        break; // the request is wrong, not the moment
                    }
                }
            } catch (Interrupted e) {
                throw e;
            } catch (IOException e) {
                error = e instanceof ShortBody ? e.getMessage() : inWords(e);
            }
            if (attempt < options.maxAttempts()) {
                backoff = sleep(backoff);
            }
        }
        throw failed(offset, last, context, attempts, error);
    }

    /**
     * Up to {@code max} bytes of a 206 body (fewer when it ends), each read guarded by the
     * watchdog; {@code offset} is the archive offset of the body's first byte.
     */
    private byte[] readBody(InputStream in, long offset, int max) throws IOException {
        byte[] buf = new byte[Math.min(max, 64 << 10)];
        int got = 0;
        while (got < max) {
            if (got == buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(max, 2L * buf.length));
            }
            int r = readGuarded(in, buf, got, buf.length - got, offset + got);
            if (r < 0) {
                break;
            }
            got += r;
        }
        return got == buf.length ? buf : java.util.Arrays.copyOf(buf, got);
    }

    /**
     * The server answered a range request with the whole archive: from now on it is read as that
     * stream, in order.
     */
    private synchronized byte[] adoptWholeArchive(
            HttpResponse<InputStream> resp, String range, long offset, int len, String context)
            throws IOException {
        OptionalLong length = resp.headers().firstValueAsLong("Content-Length");
        if (length.isEmpty()) {
            resp.body().close();
            throw new ArchiveException(
                    url
                            + ": the server ignores range requests (answered 200 to "
                            + range
                            + ") and does not say the archive's size (no Content-Length); serve"
                            + " it from a server that supports Range or sends Content-Length, or"
                            + " download it and give its path");
        }
        size = length.getAsLong();
        noRanges = true;
        closeStream();
        stream = resp.body();
        streamPos = 0;
        return readInOrder(offset, len, context);
    }

    /**
     * {@code len} bytes at {@code offset} (fewer at the end) from the whole-archive stream: the
     * bytes of the last read when the offset steps back into them, then the stream, skipped forward
     * to the offset, or opened again when it is past it or broke.
     */
    private synchronized byte[] readInOrder(long offset, int len, String context)
            throws IOException {
        if (offset >= size) {
            return new byte[0];
        }
        int n = (int) Math.min(len, size - offset);
        byte[] out = new byte[n];
        int held = 0;
        if (offset >= lastReadAt && offset < lastReadAt + lastRead.length) {
            held = (int) Math.min(n, lastReadAt + lastRead.length - offset);
            System.arraycopy(lastRead, (int) (offset - lastReadAt), out, 0, held);
        }
        String error = null;
        Duration backoff = options.initialBackoff();
        int attempts = 0;
        for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
            attempts = attempt;
            int got = held;
            try {
                long at = offset + got;
                if (got < n && (stream == null || streamPos > at)) {
                    error = open();
                    if (error != null) {
                        if (error.startsWith("HTTP 4")
                                && !error.equals("HTTP 408")
                                && !error.equals("HTTP 429")) {
                            break;
                        }
                        throw new IOException(error);
                    }
                }
                if (got < n) {
                    skipTo(at);
                }
                while (got < n) {
                    int r = readGuarded(stream, out, got, n - got, streamPos);
                    if (r < 0) {
                        throw endedEarly();
                    }
                    got += r;
                    streamPos += r;
                }
                lastRead = out;
                lastReadAt = offset;
                return out;
            } catch (Interrupted e) {
                closeStream();
                throw e;
            } catch (IOException e) {
                error = e instanceof ShortBody ? e.getMessage() : inWords(e);
                closeStream();
            }
            if (attempt < options.maxAttempts()) {
                backoff = sleep(backoff);
            }
        }
        throw failed(offset, offset + n - 1, context, attempts, error);
    }

    /**
     * A body that ends before the archive does, or stalls (said as is, not as a transport failure).
     */
    private static final class ShortBody extends IOException {
        ShortBody(String message) {
            super(message);
        }
    }

    /** Opens the whole archive again from its start; the error in words, or null. */
    private String open() throws IOException {
        closeStream();
        HttpResponse<InputStream> resp = send(null);
        if (resp.statusCode() != 200) {
            resp.body().close();
            return "HTTP " + resp.statusCode();
        }
        stream = resp.body();
        streamPos = 0;
        return null;
    }

    private ShortBody endedEarly() {
        return new ShortBody(
                "the server ended the archive after " + streamPos + " of its " + size + " bytes");
    }

    private void skipTo(long at) throws IOException {
        byte[] scratch = new byte[(int) Math.min(64 << 10, Math.max(1, at - streamPos))];
        while (streamPos < at) {
            int r =
                    readGuarded(
                            stream,
                            scratch,
                            0,
                            (int) Math.min(scratch.length, at - streamPos),
                            streamPos);
            if (r < 0) {
                throw endedEarly();
            }
            streamPos += r;
        }
    }

    /**
     * {@code s.read}, closed by the watchdog when it waits longer than {@code request_timeout}: a
     * stalled server is a failed attempt, not a hang. {@code at} is the archive offset read, for
     * the message.
     */
    private int readGuarded(InputStream s, byte[] b, int off, int len, long at) throws IOException {
        java.util.concurrent.atomic.AtomicBoolean fired =
                new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ScheduledFuture<?> watch =
                WATCHDOG.schedule(
                        () -> {
                            fired.set(true);
                            try {
                                s.close();
                            } catch (IOException e) {
                                // closing is all the watchdog does
                            }
                        },
                        options.requestTimeout().toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
        int r;
        try {
            r = s.read(b, off, len);
        } catch (IOException e) {
            if (fired.get()) {
                throw stalled(at);
            }
            throw e;
        } finally {
            watch.cancel(false);
        }
        if (fired.get()) {
            throw stalled(at);
        }
        return r;
    }

    private ShortBody stalled(long at) {
        return new ShortBody(
                "the server sent nothing for request_timeout ("
                        + options.requestTimeout().toMillis()
                        + " ms) at byte "
                        + at);
    }

    private HttpResponse<InputStream> send(String range) throws IOException {
        HttpRequest.Builder req =
                HttpRequest.newBuilder(URI.create(url)).timeout(options.requestTimeout()).GET();
        if (range != null) {
            req.header("Range", range);
        }
        try {
            return client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Interrupted("interrupted while reading " + url);
        }
    }

    /** The reading thread was interrupted (the task is cancelled): not retried. */
    private static final class Interrupted extends java.io.InterruptedIOException {
        Interrupted(String message) {
            super(message);
        }
    }

    private ArchiveException failed(
            long offset, long last, String context, int attempts, String error) {
        return new ArchiveException(
                url
                        + ": reading bytes "
                        + offset
                        + "-"
                        + last
                        + " ("
                        + context
                        + (noRanges ? ", read in order: the server has no range reads" : "")
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

    /** Waits about {@code d} (jittered) and returns the next wait. */
    private Duration sleep(Duration d) throws IOException {
        long ms = d.toMillis();
        try {
            Thread.sleep(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Interrupted("interrupted during backoff");
        }
        Duration next = d.multipliedBy(2);
        return next.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : next;
    }

    private synchronized void closeStream() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // a broken or abandoned body: nothing more to read from it
            }
            stream = null;
        }
    }

    @Override
    public void close() {
        closeStream();
        // its selector thread and pooled connections go now, not whenever GC finds the client
        client.shutdownNow();
    }
}
