package io.ipdm.dataflow.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML node that remembers where it was written, so every error can point at the file. */
public sealed interface YNode {

    Location location();

    /** What kind of node this is, as a user would call it in an error message. */
    String describe();

    /** A mapping; keys are plain strings, each with its own location. */
    record YMap(Map<String, Entry> entries, Location location) implements YNode {
        public YMap {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public YNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        @Override
        public String describe() {
            return "a map";
        }
    }

    /** One key of a mapping with the key's own location. */
    record Entry(String key, Location keyLocation, YNode value) {}

    /** A sequence. */
    record YList(List<YNode> items, Location location) implements YNode {
        public YList {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar. {@code value} is a String, Long, BigInteger (beyond 64 bits), Double, Boolean or
     * null (YAML's plain-scalar typing); {@code text} is the text as written.
     */
    record YScalar(Object value, String text, Location location) implements YNode {
        @Override
        public String describe() {
            if (value == null) {
                return "null";
            }
            if (value instanceof Boolean) {
                return "a boolean";
            }
            if (value instanceof Number) {
                return "a number";
            }
            return "a string";
        }
    }
}
