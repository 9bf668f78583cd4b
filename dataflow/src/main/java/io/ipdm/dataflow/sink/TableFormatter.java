package io.ipdm.dataflow.sink;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * Renders rows as an aligned text table. Window rows get a header line with the window's time
 * range; {@code window_start}/{@code window_end} are then left out of the columns. Rows that update
 * an earlier result (a window fired again for late events: {@link RowKind#UPDATE_AFTER}) are marked
 * {@code update} in a first column, and the header says how many there are.
 */
public final class TableFormatter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** Column index of the update marker (not a field). */
    private static final int MARK = -2;

    private final String title;
    private final List<String> names;
    private final int startIndex;
    private final int endIndex;
    private final int orderIndex;
    private final int top;

    /**
     * @param orderBy column to sort by, descending (ties by the other columns, ascending), or null
     *     for arrival order
     * @param top rows shown per block, or 0 for all
     */
    public TableFormatter(String title, List<String> names, String orderBy, int top) {
        this.title = title;
        this.names = List.copyOf(names);
        this.startIndex = names.indexOf("window_start");
        this.endIndex = names.indexOf("window_end");
        this.orderIndex = orderBy == null ? -1 : names.indexOf(orderBy);
        this.top = top;
    }

    public boolean windowed() {
        return endIndex >= 0;
    }

    public int endIndex() {
        return endIndex;
    }

    /** One block of output: header, column names, rows, and a "more rows" note if cut. */
    public String format(List<Row> rows) {
        boolean oneWindow = windowed() && startIndex >= 0 && sameWindow(rows);
        // rows of several windows (sessions closing together): ranked within each window
        List<Row> sorted = new ArrayList<>();
        Map<List<Object>, List<Row>> byWindow = new TreeMap<>(TableFormatter::compareWindows);
        for (Row r : rows) {
            List<Object> w = new ArrayList<>(2);
            w.add(windowed() ? r.getField(endIndex) : null);
            w.add(startIndex >= 0 ? r.getField(startIndex) : null);
            byWindow.computeIfAbsent(w, k -> new ArrayList<>()).add(r);
        }
        for (List<Row> window : byWindow.values()) {
            List<Row> ranked = new ArrayList<>(window);
            if (orderIndex >= 0) {
                ranked.sort(ranking(names.size(), orderIndex));
            }
            sorted.addAll(top > 0 ? ranked.subList(0, Math.min(top, ranked.size())) : ranked);
        }
        int shown = sorted.size();
        List<Integer> cols = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!oneWindow || (i != startIndex && i != endIndex)) {
                cols.add(i);
            }
        }
        long updates = rows.stream().filter(r -> r.getKind() == RowKind.UPDATE_AFTER).count();
        if (updates > 0) {
            cols.add(0, MARK);
        }
        String[][] cells = new String[shown + 1][cols.size()];
        int[] width = new int[cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            cells[0][c] = cols.get(c) == MARK ? "" : names.get(cols.get(c));
        }
        for (int r = 0; r < shown; r++) {
            for (int c = 0; c < cols.size(); c++) {
                int col = cols.get(c);
                Row row = sorted.get(r);
                cells[r + 1][c] =
                        col == MARK
                                ? (row.getKind() == RowKind.UPDATE_AFTER ? "update" : "")
                                : col == startIndex || col == endIndex
                                        ? time(row.getField(col))
                                        : cell(row.getField(col));
            }
        }
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("== ").append(title);
        if (oneWindow && !rows.isEmpty()) {
            Row first = rows.get(0);
            sb.append(" | window ")
                    .append(time(first.getField(startIndex)))
                    .append(" .. ")
                    .append(time(first.getField(endIndex)))
                    .append(" UTC");
        }
        sb.append(" | ").append(rows.size()).append(rows.size() == 1 ? " row" : " rows");
        if (updates > 0) {
            sb.append(" (").append(updates).append(" updated by late rows)");
        }
        if (shown < rows.size()) {
            sb.append(", top ").append(byWindow.size() > 1 ? top + " per window" : shown);
            if (orderIndex >= 0) {
                sb.append(" by ").append(names.get(orderIndex));
            }
        }
        sb.append('\n');
        for (int r = 0; r < cells.length; r++) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < cols.size(); c++) {
                String v = cells[r][c];
                int col = cols.get(c);
                boolean numeric =
                        r > 0
                                && col != MARK
                                && col != startIndex
                                && col != endIndex
                                && isNumber(sorted.get(r - 1).getField(col));
                String pad = " ".repeat(width[c] - v.length());
                line.append(numeric ? pad + v : v + pad);
                if (c < cols.size() - 1) {
                    line.append("  ");
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private boolean sameWindow(List<Row> rows) {
        for (Row r : rows) {
            if (!java.util.Objects.equals(r.getField(startIndex), rows.get(0).getField(startIndex))
                    || !java.util.Objects.equals(
                            r.getField(endIndex), rows.get(0).getField(endIndex))) {
                return false;
            }
        }
        return true;
    }

    /** Windows in end order, then start order; nulls (not a window row) first. */
    private static int compareWindows(List<Object> a, List<Object> b) {
        for (int i = 0; i < 2; i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            int c =
                    x instanceof Long l && y instanceof Long m
                            ? Long.compare(l, m)
                            : Boolean.compare(x != null, y != null);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    public int startIndex() {
        return startIndex;
    }

    private static boolean isNumber(Object v) {
        return v instanceof Number;
    }

    /**
     * Rows by column {@code orderIndex}, descending, ties broken by the other columns in order,
     * ascending: the same order on every run, whatever order the rows arrived in (the terminal's
     * tables and the file sinks' {@code top} rank alike).
     */
    static Comparator<Row> ranking(int arity, int orderIndex) {
        Comparator<Row> c = (a, b) -> compareCells(b.getField(orderIndex), a.getField(orderIndex));
        for (int i = 0; i < arity; i++) {
            if (i != orderIndex) {
                int f = i;
                c = c.thenComparing((a, b) -> compareCells(a.getField(f), b.getField(f)));
            }
        }
        return c;
    }

    /** Numbers by value, anything else by its text; null first. */
    @SuppressWarnings("unchecked")
    private static int compareCells(Object a, Object b) {
        if (a == null || b == null) {
            return Boolean.compare(a != null, b != null);
        }
        Comparable<Object> x = sortKey(a);
        Object y = sortKey(b);
        return x.getClass() == y.getClass()
                ? x.compareTo(y)
                : String.valueOf(a).compareTo(String.valueOf(b));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Comparable sortKey(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return v == null ? "" : v.toString();
    }

    static String time(Object epochMillis) {
        return epochMillis instanceof Long l
                ? TIME.format(Instant.ofEpochMilli(l))
                : String.valueOf(epochMillis);
    }

    static String cell(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof Float f) {
            return String.format(Locale.ROOT, "%.4f", f);
        }
        if (v instanceof Object[] a) {
            List<String> parts = new ArrayList<>();
            for (Object o : a) {
                parts.add(cell(o));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof double[] a) {
            return cell(Arrays.stream(a).boxed().toArray());
        }
        if (v instanceof long[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof Row r) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < r.getArity(); i++) {
                parts.add(cell(r.getField(i)));
            }
            return "(" + String.join(", ", parts) + ")";
        }
        return v.toString();
    }
}
