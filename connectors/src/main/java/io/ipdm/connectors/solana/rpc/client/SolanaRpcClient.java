package io.ipdm.connectors.solana.rpc.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Asynchronous Solana JSON-RPC over HTTP ({@code java.net.http}) with retries and exponential
 * backoff. Results are delivered on the HTTP client's threads.
 *
 * <p>Error codes (Solana RPC): -32007 slot skipped and -32009 slot missing in long-term storage
 * mean "no block here" and are reported as {@link BlockResult#skipped}; -32004 block not available
 * and -32014 block status not yet available, HTTP 429 and 5xx, and transport errors are retried.
 */
public final class SolanaRpcClient implements AutoCloseable {
    public static final int SLOT_SKIPPED = -32007;
    public static final int LONG_TERM_STORAGE_SLOT_SKIPPED = -32009;
    public static final int BLOCK_NOT_AVAILABLE = -32004;
    public static final int BLOCK_STATUS_NOT_AVAILABLE_YET = -32014;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI endpoint;
    private final Duration timeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int maxAttempts;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    public SolanaRpcClient(
            URI endpoint,
            Duration timeout,
            Duration initialBackoff,
            Duration maxBackoff,
            int maxAttempts) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxAttempts = maxAttempts;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * A getBlock answer: the whole JSON-RPC response (its result is a block: the decoder reads the
     * envelope, so no tree is built here), or skipped (no block in that slot).
     */
    public record BlockResult(long slot, byte[] response) {
        public boolean skipped() {
            return response == null;
        }
    }

    public CompletableFuture<Long> getSlot(String commitment) {
        String body =
                "{\"jsonrpc\":\"2.0\",\"id\":"
                        + ids.incrementAndGet()
                        + ",\"method\":\"getSlot\",\"params\":[{\"commitment\":\""
                        + commitment
                        + "\"}]}";
        return withRetries("getSlot", () -> call("getSlot", body).thenApply(JsonNode::asLong), 1);
    }

    public CompletableFuture<BlockResult> getBlock(long slot, String commitment, String encoding) {
        String body =
                "{\"jsonrpc\":\"2.0\",\"id\":"
                        + ids.incrementAndGet()
                        + ",\"method\":\"getBlock\",\"params\":["
                        + slot
                        + ",{\"encoding\":\""
                        + encoding
                        + "\",\"transactionDetails\":\"full\",\"rewards\":true,\"commitment\":\""
                        + commitment
                        + "\",\"maxSupportedTransactionVersion\":0}]}";
        String what = "getBlock " + slot;
        return withRetries(what, () -> callForBlock(what, body), 1)
                .handle(
                        (response, error) -> {
                            if (error == null) {
                                return new BlockResult(
                                        slot, response.length == 0 ? null : response);
                            }
                            Throwable cause = unwrap(error);
                            if (cause instanceof SolanaRpcException e
                                    && (e.code() == SLOT_SKIPPED
                                            || e.code() == LONG_TERM_STORAGE_SLOT_SKIPPED)) {
                                return new BlockResult(slot, null);
                            }
                            throw cause instanceof RuntimeException r
                                    ? r
                                    : new CompletionException(cause);
                        });
    }

    private <T> CompletableFuture<T> withRetries(
            String what, Supplier<CompletableFuture<T>> request, int attempt) {
        if (closed) {
            // a reader closed (a restart, say) while a retry waited: no more requests from it
            return CompletableFuture.failedFuture(
                    new SolanaRpcException(what + ": the RPC client is closed", 0, false, null));
        }
        return request.get()
                .exceptionallyCompose(
                        error -> {
                            Throwable cause = unwrap(error);
                            boolean retry =
                                    !(cause instanceof SolanaRpcException e) || e.retryable();
                            if (!retry) {
                                return CompletableFuture.failedFuture(cause);
                            }
                            if (attempt >= maxAttempts) {
                                return CompletableFuture.failedFuture(
                                        new SolanaRpcException(
                                                what
                                                        + " at "
                                                        + endpoint
                                                        + " failed after "
                                                        + attempt
                                                        + " attempts: "
                                                        + cause.getMessage()
                                                        + (transport(cause)
                                                                ? "; is the Solana node running,"
                                                                        + " and is "
                                                                        + endpoint
                                                                        + " its JSON-RPC URL?"
                                                                : ""),
                                                cause instanceof SolanaRpcException e
                                                        ? e.code()
                                                        : 0,
                                                false,
                                                cause));
                            }
                            long delay = backoffMillis(attempt);
                            Executor later =
                                    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS);
                            return CompletableFuture.supplyAsync(() -> null, later)
                                    .thenCompose(x -> withRetries(what, request, attempt + 1));
                        });
    }

    long backoffMillis(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(20, attempt - 1);
        return Math.min(maxBackoff.toMillis(), base);
    }

    /**
     * A getBlock call: the response bytes once the envelope is known to hold a result (empty for a
     * null result), after one token pass over the top level that skips the result unbuilt; errors
     * as {@link #parse} reports them.
     */
    private CompletableFuture<byte[]> callForBlock(String what, String body) {
        return send(what, body).thenApply(response -> checkEnvelope(what, response));
    }

    private static byte[] checkEnvelope(String what, HttpResponse<byte[]> response) {
        checkStatus(what, response);
        byte[] bytes = response.body();
        boolean resultSeen = false;
        boolean resultNull = false;
        try (JsonParser p = MAPPER.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SolanaRpcException(
                        what + ": response is not a JSON-RPC object", 0, true, null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("error") && t != JsonToken.VALUE_NULL) {
                    throw rpcError(what, p.readValueAsTree());
                }
                if (name.equals("result")) {
                    resultSeen = true;
                    resultNull = t == JsonToken.VALUE_NULL;
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            throw new SolanaRpcException(
                    what + ": response is not JSON: " + e.getMessage(), 0, true, e);
        }
        if (!resultSeen) {
            throw new SolanaRpcException(
                    what + ": response has neither result nor error", 0, false, null);
        }
        return resultNull ? new byte[0] : bytes;
    }

    private CompletableFuture<JsonNode> call(String what, String body) {
        return send(what, body).thenApply(response -> parse(what, response));
    }

    private CompletableFuture<HttpResponse<byte[]>> send(String what, String body) {
        HttpRequest request =
                HttpRequest.newBuilder(endpoint)
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .exceptionallyCompose(
                        e ->
                                CompletableFuture.failedFuture(
                                        new SolanaRpcException(
                                                what + ": " + inWords(unwrap(e)),
                                                0,
                                                true,
                                                unwrap(e))));
    }

    /** Whether {@code e} is a transport failure (no HTTP answer), as {@link #send} reports it. */
    private static boolean transport(Throwable e) {
        return e instanceof SolanaRpcException r
                && r.code() == 0
                && r.getCause() instanceof IOException io
                && !(io instanceof com.fasterxml.jackson.core.JacksonException);
    }

    /**
     * A transport failure in words: java.net.http reports a refused connection as a {@code
     * ConnectException} without a message, which alone says nothing to a user.
     */
    private String inWords(Throwable e) {
        String at = endpoint.getHost() + ":" + port();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "no connection to " + at + " within " + timeout;
            }
            if (t instanceof ConnectException c) {
                String m = c.getMessage();
                return m == null || m.toLowerCase(java.util.Locale.ROOT).contains("refused")
                        ? "connection refused (nothing listens at " + at + ")"
                        : "cannot connect to " + at + ": " + m;
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host " + endpoint.getHost();
            }
            if (t instanceof HttpTimeoutException) {
                return "no answer within " + timeout;
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.toString();
    }

    private int port() {
        if (endpoint.getPort() >= 0) {
            return endpoint.getPort();
        }
        return "https".equals(endpoint.getScheme()) ? 443 : 80;
    }

    private static void checkStatus(String what, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status != 200) {
            boolean retry = status == 429 || status >= 500;
            throw new SolanaRpcException(what + ": HTTP " + status, status, retry, null);
        }
    }

    private static SolanaRpcException rpcError(String what, JsonNode error) {
        int code = error.path("code").asInt();
        boolean retry = code == BLOCK_NOT_AVAILABLE || code == BLOCK_STATUS_NOT_AVAILABLE_YET;
        return new SolanaRpcException(
                what + ": JSON-RPC error " + code + ": " + error.path("message").asText(),
                code,
                retry,
                null);
    }

    private static JsonNode parse(String what, HttpResponse<byte[]> response) {
        checkStatus(what, response);
        JsonNode root;
        try {
            root = MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new SolanaRpcException(
                    what + ": response is not JSON: " + e.getMessage(), 0, true, e);
        }
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            throw rpcError(what, error);
        }
        JsonNode result = root.get("result");
        if (result == null) {
            throw new SolanaRpcException(
                    what + ": response has neither result nor error", 0, false, null);
        }
        return result;
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public void close() {
        closed = true;
        http.shutdownNow();
    }
}
