package io.ipdm.connectors.solana;

import io.ipdm.connectors.solana.replay.ReplaySource;
import io.ipdm.connectors.solana.replay.ReplaySourceBuilder;
import io.ipdm.connectors.solana.rpc.RpcOptions;
import io.ipdm.connectors.solana.rpc.RpcSource;
import io.ipdm.connectors.solana.synthetic.SyntheticOptions;
import io.ipdm.connectors.solana.synthetic.SyntheticSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a Solana source from a kind and a map of snake_case options, as a pipeline file gives
 * them. Every key must be known for the kind; a wrong key or value is an {@link
 * IllegalArgumentException} naming the kind, the key and the allowed keys or the expected type.
 *
 * <pre>
 * solana-replay     path | paths, on_corrupt_block (fail|skip)
 * solana-synthetic  seed, start_slot, end_slot | slots, transactions_per_slot, vote_fraction,
 *                   failure_rate, skipped_slot_rate, v0_fraction, target_rate, slots_per_split,
 *                   account_pool_size, validator_count
 * solana-rpc        endpoint, start_slot, end_slot, commitment, encoding, poll_interval_ms,
 *                   request_timeout_ms, backoff_initial_ms, backoff_max_ms, max_attempts,
 *                   max_in_flight, on_corrupt_block
 * </pre>
 */
public final class SolanaSourceFactory {
    public static final Map<String, Set<String>> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("solana-replay", Set.of("path", "paths", "on_corrupt_block"));
        OPTIONS.put(
                "solana-synthetic",
                Set.of(
                        "seed",
                        "start_slot",
                        "end_slot",
                        "slots",
                        "transactions_per_slot",
                        "vote_fraction",
                        "failure_rate",
                        "skipped_slot_rate",
                        "v0_fraction",
                        "target_rate",
                        "slots_per_split",
                        "account_pool_size",
                        "validator_count"));
        OPTIONS.put(
                "solana-rpc",
                Set.of(
                        "endpoint",
                        "start_slot",
                        "end_slot",
                        "commitment",
                        "encoding",
                        "poll_interval_ms",
                        "request_timeout_ms",
                        "backoff_initial_ms",
                        "backoff_max_ms",
                        "max_attempts",
                        "max_in_flight",
                        "on_corrupt_block"));
    }

    private SolanaSourceFactory() {}

    /** Allowed option keys of a kind, sorted; an error naming the kinds when unknown. */
    public static Set<String> allowedOptions(String kind) {
        Set<String> keys = OPTIONS.get(kind);
        if (keys == null) {
            throw new IllegalArgumentException(
                    "unknown Solana source kind '"
                            + kind
                            + "'; known: "
                            + String.join(", ", OPTIONS.keySet()));
        }
        return new TreeSet<>(keys);
    }

    public static SolanaSourceDefinition create(
            String kind, SolanaTable table, Map<String, ?> options) {
        Set<String> allowed = allowedOptions(kind);
        for (String key : options.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(
                        kind
                                + ": unknown option '"
                                + key
                                + "'; allowed: "
                                + String.join(", ", allowed));
            }
        }
        Opts o = new Opts(kind, options);
        return switch (kind) {
            case "solana-replay" -> replay(o, table);
            case "solana-synthetic" ->
                    new SolanaSourceDefinition(new SyntheticSource(synthetic(o), table), table);
            default -> new SolanaSourceDefinition(new RpcSource(rpc(o), table), table);
        };
    }

    private static SolanaSourceDefinition replay(Opts o, SolanaTable table) {
        List<Path> paths = new ArrayList<>();
        if (o.has("path")) {
            paths.add(Path.of(o.string("path")));
        }
        if (o.has("paths")) {
            for (String p : o.strings("paths")) {
                paths.add(Path.of(p));
            }
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException(
                    "solana-replay: needs option 'path' (a file or directory of getBlock responses) or 'paths'");
        }
        ReplaySourceBuilder b = ReplaySource.builder().paths(paths).table(table);
        if (o.has("on_corrupt_block")) {
            b.onCorruptBlock(o.policy("on_corrupt_block"));
        }
        return new SolanaSourceDefinition(b.build(), table);
    }

    static SyntheticOptions synthetic(Opts o) {
        SyntheticOptions.Builder b = SyntheticOptions.builder();
        if (o.has("seed")) b.seed(o.integer("seed"));
        if (o.has("start_slot")) b.startSlot(o.integer("start_slot"));
        if (o.has("end_slot") && o.has("slots")) {
            throw new IllegalArgumentException(
                    "solana-synthetic: give 'end_slot' or 'slots', not both");
        }
        long start = o.has("start_slot") ? o.integer("start_slot") : b.build().startSlot();
        if (o.has("end_slot")) b.endSlot(o.integer("end_slot"));
        if (o.has("slots")) b.endSlot(start + o.integer("slots"));
        if (o.has("transactions_per_slot"))
            b.transactionsPerSlot((int) o.integer("transactions_per_slot"));
        if (o.has("vote_fraction")) b.voteFraction(o.number("vote_fraction"));
        if (o.has("failure_rate")) b.failureRate(o.number("failure_rate"));
        if (o.has("skipped_slot_rate")) b.skippedSlotRate(o.number("skipped_slot_rate"));
        if (o.has("v0_fraction")) b.v0Fraction(o.number("v0_fraction"));
        if (o.has("target_rate")) b.targetRate(o.number("target_rate"));
        if (o.has("slots_per_split")) b.slotsPerSplit((int) o.integer("slots_per_split"));
        if (o.has("account_pool_size")) b.accountPoolSize((int) o.integer("account_pool_size"));
        if (o.has("validator_count")) b.validatorCount((int) o.integer("validator_count"));
        return b.build();
    }

    static RpcOptions rpc(Opts o) {
        if (!o.has("endpoint")) {
            throw new IllegalArgumentException(
                    "solana-rpc: needs option 'endpoint' (http(s) URL of a Solana JSON-RPC node)");
        }
        RpcOptions.Builder b;
        try {
            b = RpcOptions.builder(URI.create(o.string("endpoint")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "solana-rpc: option 'endpoint' is not a URL: " + o.string("endpoint"));
        }
        if (o.has("start_slot")) b.startSlot(o.integer("start_slot"));
        if (o.has("end_slot")) b.endSlot(o.integer("end_slot"));
        if (o.has("commitment")) b.commitment(o.string("commitment"));
        if (o.has("encoding")) b.encoding(o.string("encoding"));
        if (o.has("poll_interval_ms"))
            b.pollInterval(Duration.ofMillis(o.integer("poll_interval_ms")));
        if (o.has("request_timeout_ms"))
            b.requestTimeout(Duration.ofMillis(o.integer("request_timeout_ms")));
        RpcOptions defaults = b.build();
        Duration initial =
                o.has("backoff_initial_ms")
                        ? Duration.ofMillis(o.integer("backoff_initial_ms"))
                        : defaults.initialBackoff();
        Duration max =
                o.has("backoff_max_ms")
                        ? Duration.ofMillis(o.integer("backoff_max_ms"))
                        : defaults.maxBackoff();
        b.backoff(initial, max);
        if (o.has("max_attempts")) b.maxAttempts((int) o.integer("max_attempts"));
        if (o.has("max_in_flight")) b.maxInFlight((int) o.integer("max_in_flight"));
        if (o.has("on_corrupt_block")) b.onCorruptBlock(o.policy("on_corrupt_block"));
        return b.build();
    }

    /** Typed access to the option map with errors that name the kind and key. */
    record Opts(String kind, Map<String, ?> map) {
        boolean has(String key) {
            return map.get(key) != null;
        }

        long integer(String key) {
            Object v = map.get(key);
            if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                return ((Number) v).longValue();
            }
            if (v instanceof String s) {
                try {
                    return Long.parseLong(s.trim().replace("_", ""));
                } catch (NumberFormatException e) {
                    // fall through to the error
                }
            }
            throw bad(key, "an integer", v);
        }

        double number(String key) {
            Object v = map.get(key);
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            if (v instanceof String s) {
                try {
                    return Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    // fall through to the error
                }
            }
            throw bad(key, "a number", v);
        }

        String string(String key) {
            Object v = map.get(key);
            if (v instanceof String || v instanceof Number || v instanceof Path) {
                return v.toString();
            }
            throw bad(key, "a string", v);
        }

        List<String> strings(String key) {
            Object v = map.get(key);
            if (v instanceof List<?> list) {
                List<String> out = new ArrayList<>();
                for (Object e : list) {
                    out.add(String.valueOf(e));
                }
                return out;
            }
            throw bad(key, "a list of strings", v);
        }

        CorruptBlockPolicy policy(String key) {
            String s = string(key);
            try {
                return CorruptBlockPolicy.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(key, "fail or skip", s);
            }
        }

        private IllegalArgumentException bad(String key, String expected, Object v) {
            return new IllegalArgumentException(
                    kind
                            + ": option '"
                            + key
                            + "' must be "
                            + expected
                            + ", got "
                            + (v instanceof String ? "'" + v + "'" : String.valueOf(v)));
        }
    }
}
