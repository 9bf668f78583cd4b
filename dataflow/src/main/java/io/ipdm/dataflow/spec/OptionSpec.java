package io.ipdm.dataflow.spec;

import io.ipdm.dataflow.validate.Durations;
import java.time.Duration;
import java.util.List;

/**
 * One option a kind declares: its key, its type, its default (null: none), what it does and whether
 * it must be given. The parser checks every {@code options:} map against these before anything else
 * runs; {@code ipdm kinds} and docs/pipeline-yaml.md print them.
 */
public record OptionSpec(
        String key,
        Type type,
        Object defaultValue,
        String description,
        boolean required,
        long min,
        long max) {

    /** The value types an option can have, as YAML writes them. */
    public enum Type {
        STRING("string"),
        INTEGER("integer"),
        NUMBER("number"),
        BOOLEAN("boolean"),
        DURATION("duration"),
        /** A list of values; a single value is a list of one. */
        LIST("list"),
        /** A map of keys (stage keys such as {@code select}; never an option value). */
        MAP("map");

        private final String yaml;

        Type(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }

    public OptionSpec {
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("required option '" + key + "' has a default");
        }
    }

    /** An optional option with a default (null: none). */
    public static OptionSpec of(String key, Type type, Object defaultValue, String description) {
        return new OptionSpec(
                key, type, defaultValue, description, false, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A required option. */
    public static OptionSpec required(String key, Type type, String description) {
        return new OptionSpec(key, type, null, description, true, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** This integer option limited to {@code [min, max]} (checked as written, never wrapped). */
    public OptionSpec range(long min, long max) {
        if (type != Type.INTEGER) {
            throw new IllegalArgumentException("only integer options have a range: " + key);
        }
        return new OptionSpec(key, type, defaultValue, description, required, min, max);
    }

    /** The same option under another key. */
    public OptionSpec withKey(String newKey) {
        return new OptionSpec(newKey, type, defaultValue, description, required, min, max);
    }

    /**
     * The type as documented: {@code integer 1..1000000} when the range is narrower than 64 bits.
     */
    public String typeText() {
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return type.yaml();
        }
        return type.yaml() + " " + min + ".." + max;
    }

    /** The default as YAML would write it ("" when there is none). */
    public String defaultText() {
        return switch (defaultValue) {
            case null -> "";
            case Duration d -> Durations.format(d);
            case List<?> l -> l.toString();
            default -> defaultValue.toString();
        };
    }
}
