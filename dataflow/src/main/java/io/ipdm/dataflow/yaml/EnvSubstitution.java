package io.ipdm.dataflow.yaml;

import io.ipdm.dataflow.yaml.YNode.Entry;
import io.ipdm.dataflow.yaml.YNode.YList;
import io.ipdm.dataflow.yaml.YNode.YMap;
import io.ipdm.dataflow.yaml.YNode.YScalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in scalar values with environment
 * variables. A scalar that was entirely a reference is re-typed (so {@code parallelism:
 * ${PAR}} becomes a number). {@code $${} } writes a literal {@code ${}.
 */
public final class EnvSubstitution {
    private static final Pattern REF =
            Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private EnvSubstitution() {}

    public static YNode apply(YNode node, Map<String, String> env) {
        return switch (node) {
            case YMap m -> {
                Map<String, Entry> out = new LinkedHashMap<>();
                for (Entry e : m.entries().values()) {
                    out.put(e.key(), new Entry(e.key(), e.keyLocation(), apply(e.value(), env)));
                }
                yield new YMap(out, m.location());
            }
            case YList l -> {
                List<YNode> out = new ArrayList<>();
                for (YNode n : l.items()) {
                    out.add(apply(n, env));
                }
                yield new YList(out, l.location());
            }
            case YScalar s -> substitute(s, env);
        };
    }

    private static YScalar substitute(YScalar s, Map<String, String> env) {
        if (!(s.value() instanceof String text) || !text.contains("${")) {
            return s;
        }
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$${")) {
                replacement = "${";
            } else {
                String value = env.get(m.group(1));
                if (value == null) {
                    value = m.group(2);
                }
                if (value == null) {
                    throw new YamlException(
                            s.location(),
                            "environment variable "
                                    + Quote.cut(m.group(1))
                                    + " is not set; set it or write ${"
                                    + Quote.cut(m.group(1))
                                    + ":-default}");
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return YamlReader.scalar(out.toString(), s.location());
    }
}
