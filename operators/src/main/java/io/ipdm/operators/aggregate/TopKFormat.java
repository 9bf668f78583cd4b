package io.ipdm.operators.aggregate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The top_k result: {@code "item:count,item:count"}, highest count first, ties by item in string
 * order. Items are the values' string forms, escaped so the result splits unambiguously: a
 * backslash, comma or colon gets a backslash before it, and control characters are written {@code
 * \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}.
 */
final class TopKFormat {
    private TopKFormat() {}

    static String format(Map<String, Long> counts, int k) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(
                Comparator.comparing((Map.Entry<String, Long> e) -> e.getValue())
                        .reversed()
                        .thenComparing(Map.Entry::getKey));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(k, entries.size()); i++) {
            if (i > 0) {
                sb.append(',');
            }
            escape(entries.get(i).getKey(), sb);
            sb.append(':').append(entries.get(i).getValue());
        }
        return sb.toString();
    }

    static void escape(String item, StringBuilder sb) {
        for (int i = 0; i < item.length(); i++) {
            char c = item.charAt(i);
            switch (c) {
                case '\\', ',', ':' -> sb.append('\\').append(c);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }
}
