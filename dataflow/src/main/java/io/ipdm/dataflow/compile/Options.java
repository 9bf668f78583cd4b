package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.validate.Durations;
import io.ipdm.dataflow.validate.Ranges;
import io.ipdm.dataflow.validate.Suggest;
import io.ipdm.dataflow.yaml.Quote;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of a source's or sink's {@code options:} map. Every read declares the key, so {@link
 * #checkKnown()} can reject keys nobody asked for, listing the ones that exist.
 */
public final class Options {
    private final Map<String, Object> values;
    private final String path;
    private final CompileContext ctx;
    private final Set<String> known = new LinkedHashSet<>();

    public Options(Map<String, Object> values, String path, CompileContext ctx) {
        this.values = values;
        this.path = path;
        this.ctx = ctx;
    }

    private Object raw(String key, boolean required) {
        known.add(key);
        Object v = values.get(key);
        if (v == null && required) {
            throw ctx.error(path, "missing required option '" + key + "'");
        }
        return v;
    }

    public String string(String key, String fallback) {
        Object v = raw(key, fallback == null);
        if (v == null) {
            return fallback;
        }
        if (v instanceof List<?>) {
            throw ctx.error(path + "." + key, "expected a string, got a list");
        }
        return v.toString();
    }

    public String optionalString(String key) {
        Object v = raw(key, false);
        return v == null ? null : v.toString();
    }

    /** A list option (a single value is a list of one), or null when absent. */
    public List<String> optionalList(String key) {
        Object v = raw(key, false);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of(v.toString());
    }

    public Long optionalLong(String key) {
        Object v = raw(key, false);
        if (v == null) {
            return null;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof BigInteger big) {
            throw ctx.error(
                    path + "." + key,
                    Ranges.message(key, big.toString(), Long.MIN_VALUE, Long.MAX_VALUE));
        }
        throw ctx.error(path + "." + key, "expected an integer, got " + Quote.of(v.toString()));
    }

    public long longValue(String key, long fallback) {
        Long v = optionalLong(key);
        return v == null ? fallback : v;
    }

    /**
     * An integer option in {@code [min, max]}, or null when absent; a value outside is an error
     * naming the range, never wrapped to an int.
     */
    public Integer optionalInt(String key, int min, int max) {
        Long v = optionalLong(key);
        if (v == null) {
            return null;
        }
        String problem = Ranges.check(key, v, min, max);
        if (problem != null) {
            throw ctx.error(path + "." + key, problem);
        }
        return v.intValue();
    }

    public int intValue(String key, int fallback, int min, int max) {
        Integer v = optionalInt(key, min, max);
        return v == null ? fallback : v;
    }

    public double doubleValue(String key, double fallback) {
        Object v = raw(key, false);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw ctx.error(path + "." + key, "expected a number, got '" + v + "'");
    }

    public boolean bool(String key, boolean fallback) {
        Object v = raw(key, false);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw ctx.error(path + "." + key, "expected true or false, got '" + v + "'");
    }

    public Duration duration(String key, Duration fallback) {
        Object v = raw(key, false);
        if (v == null) {
            return fallback;
        }
        Duration d = Durations.parse(v.toString());
        if (d == null) {
            String problem = Durations.problem(v.toString());
            throw ctx.error(
                    path + "." + key,
                    problem.equals(Durations.EXPECTED)
                            ? "expected a duration like 500ms, 10s or 1m, got "
                                    + Quote.of(v.toString())
                            : Quote.of(v.toString()) + " is " + problem);
        }
        return d;
    }

    /** Fails on the first option no read asked for. */
    public void checkKnown() {
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                String near = Suggest.closest(k, known);
                throw ctx.error(
                        path + "." + k,
                        "unknown option '"
                                + k
                                + "'"
                                + (near == null ? "" : " (did you mean '" + near + "'?)")
                                + "; allowed options: "
                                + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
    }
}
