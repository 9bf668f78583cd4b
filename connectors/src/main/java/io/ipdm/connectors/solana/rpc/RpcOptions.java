package io.ipdm.connectors.solana.rpc;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where and how the live RPC source polls. Immutable; build with {@link #builder(URI)}.
 *
 * @param startSlot first slot to read; null = the current slot at the given commitment when the job
 *     first starts
 * @param endSlot exclusive; null = follow the chain forever
 * @param commitment {@code confirmed} or {@code finalized} (getBlock does not serve processed)
 * @param encoding transaction encoding requested: {@code base64} (default, cheapest to decode),
 *     {@code base58}, {@code json} or {@code jsonParsed}
 * @param maxInFlight getBlock requests kept in flight for consecutive slots while catching up
 * @param maxAttempts attempts per request before the job fails (transport errors, HTTP 429/5xx,
 *     "block not available yet")
 */
public record RpcOptions(
        URI endpoint,
        Long startSlot,
        Long endSlot,
        String commitment,
        String encoding,
        Duration pollInterval,
        Duration requestTimeout,
        Duration initialBackoff,
        Duration maxBackoff,
        int maxAttempts,
        int maxInFlight,
        CorruptBlockPolicy onCorruptBlock)
        implements Serializable {

    static final List<String> COMMITMENTS = List.of("confirmed", "finalized");
    static final List<String> ENCODINGS = List.of("base64", "base58", "json", "jsonParsed");

    public RpcOptions {
        Objects.requireNonNull(endpoint, "endpoint");
        check(
                "http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()),
                "endpoint must be an http(s) URL, got " + endpoint);
        check(
                COMMITMENTS.contains(commitment),
                "commitment must be one of "
                        + COMMITMENTS
                        + " (getBlock does not serve processed), got "
                        + commitment);
        check(
                ENCODINGS.contains(encoding),
                "encoding must be one of " + ENCODINGS + ", got " + encoding);
        check(startSlot == null || startSlot >= 0, "startSlot must be >= 0, got " + startSlot);
        check(
                endSlot == null || startSlot == null || endSlot > startSlot,
                "endSlot (" + endSlot + ") must be greater than startSlot (" + startSlot + ")");
        check(maxAttempts >= 1, "maxAttempts must be >= 1, got " + maxAttempts);
        check(
                maxInFlight >= 1 && maxInFlight <= 64,
                "maxInFlight must be in [1, 64], got " + maxInFlight);
        check(
                !pollInterval.isNegative() && !pollInterval.isZero(),
                "pollInterval must be positive");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Solana RPC source: " + message);
        }
    }

    public boolean bounded() {
        return endSlot != null;
    }

    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    /**
     * Builder; defaults: confirmed, base64, poll 400 ms, timeout 30 s, backoff 200 ms..10 s, 8
     * attempts.
     */
    public static final class Builder {
        private final URI endpoint;
        private Long startSlot;
        private Long endSlot;
        private String commitment = "confirmed";
        private String encoding = "base64";
        private Duration pollInterval = Duration.ofMillis(400);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private int maxAttempts = 8;
        private int maxInFlight = 4;
        private CorruptBlockPolicy onCorruptBlock = CorruptBlockPolicy.FAIL;

        Builder(URI endpoint) {
            this.endpoint = endpoint;
        }

        public Builder startSlot(long v) {
            startSlot = v;
            return this;
        }

        public Builder endSlot(long v) {
            endSlot = v;
            return this;
        }

        public Builder commitment(String v) {
            commitment = v;
            return this;
        }

        public Builder encoding(String v) {
            encoding = v;
            return this;
        }

        public Builder pollInterval(Duration v) {
            pollInterval = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            initialBackoff = initial;
            maxBackoff = max;
            return this;
        }

        public Builder maxAttempts(int v) {
            maxAttempts = v;
            return this;
        }

        public Builder maxInFlight(int v) {
            maxInFlight = v;
            return this;
        }

        public Builder onCorruptBlock(CorruptBlockPolicy v) {
            onCorruptBlock = v;
            return this;
        }

        public RpcOptions build() {
            return new RpcOptions(
                    endpoint,
                    startSlot,
                    endSlot,
                    commitment,
                    encoding,
                    pollInterval,
                    requestTimeout,
                    initialBackoff,
                    maxBackoff,
                    maxAttempts,
                    maxInFlight,
                    onCorruptBlock);
        }
    }
}
