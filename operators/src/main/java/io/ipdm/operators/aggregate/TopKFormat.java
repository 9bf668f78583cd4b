package io.ipdm.operators.aggregate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The top_k result: {@code "item:count,item:count"}, highest count first, ties by item in string
 * order. Items are the values' string forms and are not escaped.
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
            sb.append(entries.get(i).getKey()).append(':').append(entries.get(i).getValue());
        }
        return sb.toString();
    }
}
