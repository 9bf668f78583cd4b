package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.OptionSpec;
import io.ipdm.dataflow.validate.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of an {@code options:} map that the parser has already checked against its kind's
 * {@link OptionSpec}s (known keys, value types, required keys). An absent option reads as its
 * declared default, so a default is written in one place: the declaration.
 */
public final class Options {
    private final Map<String, Object> values;
    private final List<OptionSpec> specs;
    private final String path;

    public Options(Map<String, Object> values, List<OptionSpec> specs, String path) {
        this.values = values;
        this.specs = specs;
        this.path = path;
    }

    /** The key path of the options map ({@code sources.<id>.options}). */
    public String path() {
        return path;
    }

    /** The key path of one option. */
    public String path(String key) {
        return path + "." + key;
    }

    /** Whether the option was written (rather than defaulted). */
    public boolean given(String key) {
        spec(key);
        return values.containsKey(key);
    }

    private OptionSpec spec(String key) {
        for (OptionSpec s : specs) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalStateException("option '" + key + "' is not declared at " + path);
    }

    private Object raw(String key) {
        Object v = values.get(key);
        return v != null ? v : spec(key).defaultValue();
    }

    /** A string option; null when absent without a default. */
    public String string(String key) {
        Object v = raw(key);
        return v == null ? null : v.toString();
    }

    /** A list option (a single value is a list of one); null when absent without a default. */
    public List<String> list(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of(v.toString());
    }

    /** An integer option; null when absent without a default. */
    public Long integer(String key) {
        return (Long) raw(key);
    }

    /**
     * An integer option declared with a range inside int's (the parser checked it); null when
     * absent without a default.
     */
    public Integer int32(String key) {
        OptionSpec spec = spec(key);
        if (spec.min() < Integer.MIN_VALUE || spec.max() > Integer.MAX_VALUE) {
            throw new IllegalStateException("option '" + key + "' is not declared within int");
        }
        Long v = integer(key);
        return v == null ? null : v.intValue();
    }

    public double number(String key) {
        return ((Number) raw(key)).doubleValue();
    }

    public boolean bool(String key) {
        return (Boolean) raw(key);
    }

    /** A duration option; null when absent without a default. */
    public Duration duration(String key) {
        Object v = raw(key);
        return v == null || v instanceof Duration ? (Duration) v : Durations.parse(v.toString());
    }
}
