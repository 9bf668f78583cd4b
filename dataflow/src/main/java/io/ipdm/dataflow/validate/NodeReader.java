package io.ipdm.dataflow.validate;

import io.ipdm.dataflow.spec.PipelineError;
import io.ipdm.dataflow.spec.SourceMap;
import io.ipdm.dataflow.yaml.Quote;
import io.ipdm.dataflow.yaml.YNode;
import io.ipdm.dataflow.yaml.YNode.Entry;
import io.ipdm.dataflow.yaml.YNode.YList;
import io.ipdm.dataflow.yaml.YNode.YMap;
import io.ipdm.dataflow.yaml.YNode.YScalar;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Typed access to YAML nodes that records errors instead of throwing, so one pass reports every
 * mistake. Every method returns null when the value is absent or wrong.
 */
final class NodeReader {
    final List<PipelineError> errors = new ArrayList<>();
    final SourceMap sourceMap;

    NodeReader(SourceMap sourceMap) {
        this.sourceMap = sourceMap;
    }

    void error(YNode at, String path, String message) {
        errors.add(new PipelineError(at.location(), path, message));
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The block (mapping) at {@code node}, restricted to {@code allowed} keys. */
    Block block(YNode node, String path, String... allowed) {
        if (node instanceof YMap m) {
            sourceMap.put(path, m.location());
            return new Block(m, path, new LinkedHashSet<>(Arrays.asList(allowed)));
        }
        error(
                node,
                path,
                "expected a map of keys ("
                        + String.join(", ", allowed)
                        + "), got "
                        + node.describe());
        return null;
    }

    List<YNode> list(YNode node, String path) {
        return switch (node) {
            case YList l -> l.items();
            case YMap m -> {
                error(node, path, "expected a list, got a map; did you miss a dash `-`?");
                yield null;
            }
            case YScalar s -> {
                error(node, path, "expected a list, got " + s.describe());
                yield null;
            }
        };
    }

    String string(YNode node, String path) {
        if (node instanceof YScalar s && s.value() != null && !(s.value() instanceof Double)) {
            return String.valueOf(s.value());
        }
        if (node instanceof YScalar s && s.value() instanceof Double) {
            return s.text();
        }
        error(node, path, "expected a string, got " + node.describe());
        return null;
    }

    Long integer(YNode node, String path) {
        return integer(node, path, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * An integer in {@code [min, max]}; one outside (even beyond 64 bits) is an error naming the
     * range, never a wrapped value.
     */
    Long integer(YNode node, String path, long min, long max) {
        if (node instanceof YScalar s && s.value() instanceof BigInteger big) {
            error(node, path, Ranges.message(Ranges.key(path), big.toString(), min, max));
            return null;
        }
        if (!(node instanceof YScalar s && s.value() instanceof Long v)) {
            error(node, path, "expected an integer, got " + describe(node));
            return null;
        }
        String problem = Ranges.check(Ranges.key(path), v, min, max);
        if (problem != null) {
            error(node, path, problem);
            return null;
        }
        return v;
    }

    Double number(YNode node, String path) {
        if (node instanceof YScalar s && s.value() instanceof Number n) {
            return n.doubleValue();
        }
        error(node, path, "expected a number, got " + describe(node));
        return null;
    }

    Duration duration(YNode node, String path) {
        if (node instanceof YScalar s && s.value() != null && !(s.value() instanceof Boolean)) {
            String text = s.text().isEmpty() ? String.valueOf(s.value()) : s.text();
            Duration d = Durations.parse(text);
            if (d != null) {
                return d;
            }
            if (!Durations.problem(text).equals(Durations.EXPECTED)) {
                error(node, path, Quote.of(text) + " is " + Durations.problem(text));
                return null;
            }
        }
        error(node, path, Durations.EXPECTED + ", got " + describe(node));
        return null;
    }

    <E extends Enum<E>> E choice(YNode node, String path, E[] values, Function<E, String> yaml) {
        String s = string(node, path);
        if (s == null) {
            return null;
        }
        for (E e : values) {
            if (yaml.apply(e).equals(s)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : values) {
            names.add(yaml.apply(e));
        }
        error(
                node,
                path,
                "unknown value " + Quote.of(s) + "; allowed: " + String.join(", ", names));
        return null;
    }

    String oneOf(YNode node, String path, Set<String> allowed, String what) {
        String s = string(node, path);
        if (s != null && !allowed.contains(s)) {
            String near = Suggest.closest(s, allowed);
            error(
                    node,
                    path,
                    "unknown "
                            + what
                            + " "
                            + Quote.of(s)
                            + (near == null ? "" : " (did you mean '" + near + "'?)")
                            + "; allowed: "
                            + String.join(", ", allowed));
            return null;
        }
        return s;
    }

    /** Free-form options: scalars or lists of scalars, keys in file order. */
    Map<String, Object> options(YNode node, String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!(node instanceof YMap m)) {
            error(node, path, "expected a map of options, got " + node.describe());
            return out;
        }
        sourceMap.put(path, m.location());
        for (Entry e : m.entries().values()) {
            String p = child(path, e.key());
            sourceMap.put(p, e.value().location());
            Object v = plain(e.value(), p);
            if (v != null) {
                out.put(e.key(), v);
            }
        }
        return out;
    }

    private Object plain(YNode node, String path) {
        return switch (node) {
            case YScalar s -> {
                if (s.value() == null) {
                    error(node, path, "expected a value, got null");
                }
                yield s.value();
            }
            case YList l -> {
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < l.items().size(); i++) {
                    Object v = plain(l.items().get(i), path + "[" + i + "]");
                    if (v != null) {
                        items.add(v);
                    }
                }
                yield List.copyOf(items);
            }
            case YMap m -> {
                error(node, path, "expected a value or a list of values, got a map");
                yield null;
            }
        };
    }

    static String describe(YNode node) {
        if (node instanceof YScalar s && s.value() != null) {
            return s.describe() + " " + Quote.of(s.text());
        }
        return node.describe();
    }

    /** A mapping whose keys are checked against an allowed set. */
    final class Block {
        final YMap map;
        final String path;
        final Set<String> allowed;

        Block(YMap map, String path, Set<String> allowed) {
            this.map = map;
            this.path = path;
            this.allowed = allowed;
        }

        YNode get(String key) {
            if (!allowed.contains(key)) {
                throw new IllegalStateException("key not declared: " + key);
            }
            YNode n = map.get(key);
            if (n instanceof YScalar s && s.value() == null) {
                return null;
            }
            if (n != null) {
                sourceMap.put(child(path, key), n.location());
            }
            return n;
        }

        YNode required(String key) {
            YNode n = get(key);
            if (n == null) {
                errors.add(
                        new PipelineError(
                                map.location(), path, "missing required key '" + key + "'"));
            }
            return n;
        }

        String keyPath(String key) {
            return child(path, key);
        }

        String string(String key, boolean required) {
            YNode n = required ? required(key) : get(key);
            return n == null ? null : NodeReader.this.string(n, keyPath(key));
        }

        /**
         * The optional key's value as {@code read} makes it from the node and its path (reporting
         * what is wrong with it), or null when the key is absent: the one shape of every optional
         * scalar a block reads.
         */
        <T> T optional(String key, BiFunction<YNode, String, T> read) {
            YNode n = get(key);
            return n == null ? null : read.apply(n, keyPath(key));
        }

        /** The optional integer in {@code [min, max]}, or null (absent or reported). */
        Integer integer(String key, long min, long max) {
            Long v = optional(key, (n, p) -> NodeReader.this.integer(n, p, min, max));
            return v == null ? null : Math.toIntExact(v);
        }

        /** The optional duration, or null. */
        Duration duration(String key) {
            return optional(key, NodeReader.this::duration);
        }

        /** The optional choice among {@code values} by their YAML names, or null. */
        <E extends Enum<E>> E choice(String key, E[] values, Function<E, String> yaml) {
            return optional(key, (n, p) -> NodeReader.this.choice(n, p, values, yaml));
        }

        /** Reports keys outside the allowed set, with a suggestion for near misses. */
        void checkKeys() {
            for (Entry e : map.entries().values()) {
                if (!allowed.contains(e.key())) {
                    String near = Suggest.closest(e.key(), allowed);
                    errors.add(
                            new PipelineError(
                                    e.keyLocation(),
                                    path,
                                    "unknown key "
                                            + Quote.of(e.key())
                                            + (near == null
                                                    ? ""
                                                    : " (did you mean '" + near + "'?)")
                                            + "; allowed keys: "
                                            + String.join(", ", allowed)));
                }
            }
        }
    }
}
