package io.ipdm.dataflow.yaml;

import io.ipdm.dataflow.yaml.YNode.Entry;
import io.ipdm.dataflow.yaml.YNode.YList;
import io.ipdm.dataflow.yaml.YNode.YMap;
import io.ipdm.dataflow.yaml.YNode.YScalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@code --set path=value} to a YAML tree. Path segments are map keys; in a list of maps a
 * segment selects the item whose {@code id} equals it (or a numeric index). Missing map keys are
 * created, so {@code --set runtime.parallelism=4} works on a file without a runtime block. An empty
 * value ({@code path=}) removes the key from its map, so an option goes back to its default.
 */
public final class SetOverrides {
    private SetOverrides() {}

    /** Parses {@code path=value}; the value is typed like a plain YAML scalar. */
    public static YNode apply(YNode root, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new YamlException(
                    Location.of("--set " + assignment),
                    "expected --set path=value, e.g. --set runtime.parallelism=2");
        }
        String path = assignment.substring(0, eq).strip();
        String value = assignment.substring(eq + 1);
        Location at = Location.of("--set " + path);
        String[] segments = path.split("\\.", -1);
        for (String seg : segments) {
            if (seg.isEmpty()) {
                throw new YamlException(at, "empty segment in path '" + path + "'");
            }
        }
        return set(root, segments, 0, YamlReader.scalar(value, at), at);
    }

    /**
     * The node at {@code path} (segments as {@link #apply} reads them), or null when there is none.
     */
    public static YNode lookup(YNode root, String path) {
        YNode node = root;
        for (String seg : path.split("\\.", -1)) {
            node =
                    switch (node) {
                        case YMap m -> m.get(seg);
                        case YList l -> {
                            int index = indexOf(l, seg);
                            yield index < 0 ? null : l.items().get(index);
                        }
                        case null, default -> null;
                    };
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private static YNode set(YNode node, String[] path, int i, YScalar value, Location at) {
        if (i == path.length) {
            return value;
        }
        String seg = path[i];
        String where = String.join(".", java.util.Arrays.copyOf(path, i));
        if (node == null || (node instanceof YScalar s && s.value() == null)) {
            node = new YMap(Map.of(), at);
        }
        return switch (node) {
            case YMap m -> {
                Map<String, Entry> entries = new LinkedHashMap<>(m.entries());
                Entry old = entries.get(seg);
                if (i == path.length - 1 && value.value() == null) {
                    // `path=` unsets: an option falls back to its default, as if never written
                    entries.remove(seg);
                    yield new YMap(entries, m.location());
                }
                YNode updated = set(old == null ? null : old.value(), path, i + 1, value, at);
                entries.put(seg, new Entry(seg, old == null ? at : old.keyLocation(), updated));
                yield new YMap(entries, m.location());
            }
            case YList l -> {
                int index = indexOf(l, seg);
                if (index < 0) {
                    throw new YamlException(
                            at,
                            "no item "
                                    + Quote.of(seg)
                                    + " in "
                                    + (where.isEmpty() ? "the document" : where)
                                    + "; known ids: "
                                    + String.join(", ", ids(l)));
                }
                List<YNode> items = new ArrayList<>(l.items());
                items.set(index, set(items.get(index), path, i + 1, value, at));
                yield new YList(items, l.location());
            }
            case YScalar s ->
                    throw new YamlException(
                            at,
                            "cannot set '"
                                    + seg
                                    + "' inside "
                                    + where
                                    + ", which is a scalar ("
                                    + Quote.cut(s.text())
                                    + ")");
        };
    }

    private static int indexOf(YList l, String seg) {
        for (int k = 0; k < l.items().size(); k++) {
            if (l.items().get(k) instanceof YMap m
                    && m.get("id") instanceof YScalar id
                    && seg.equals(String.valueOf(id.value()))) {
                return k;
            }
        }
        if (seg.matches("[0-9]{1,9}") && Integer.parseInt(seg) < l.items().size()) {
            return Integer.parseInt(seg);
        }
        return -1;
    }

    private static List<String> ids(YList l) {
        List<String> ids = new ArrayList<>();
        for (YNode n : l.items()) {
            if (n instanceof YMap m && m.get("id") instanceof YScalar id) {
                ids.add(String.valueOf(id.value()));
            }
        }
        return ids;
    }
}
