package io.ipdm.dataflow.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.types.Row;

/**
 * Prints rows as readable tables on the terminal of the JVM that runs it (the CLI's, with the
 * embedded cluster). Window rows are grouped per window and printed once the watermark passes the
 * window's end, i.e. when the window has closed on every upstream subtask; other rows are printed
 * in blocks on each flush. Run it with parallelism 1 so one writer sees every row.
 */
public final class TerminalSink implements Sink<Row> {
    private final String title;
    private final List<String> names;
    private final String orderBy;
    private final int top;

    public TerminalSink(String title, List<String> names, String orderBy, int top) {
        this.title = title;
        this.names = List.copyOf(names);
        this.orderBy = orderBy;
        this.top = top;
    }

    @Override
    public SinkWriter<Row> createWriter(WriterInitContext context) {
        return new Writer(new TableFormatter(title, names, orderBy, top));
    }

    private static final class Writer implements SinkWriter<Row> {
        private final TableFormatter formatter;

        /** Window end -> rows of windows ending there, printed in end order. */
        private final TreeMap<Long, List<Row>> windows = new TreeMap<>();

        private final List<Row> plain = new ArrayList<>();

        Writer(TableFormatter formatter) {
            this.formatter = formatter;
        }

        @Override
        public void write(Row row, Context context) {
            if (formatter.windowed() && row.getField(formatter.endIndex()) instanceof Long end) {
                windows.computeIfAbsent(end, k -> new ArrayList<>()).add(row);
            } else {
                plain.add(row);
                if (plain.size() >= 50) {
                    printPlain();
                }
            }
        }

        @Override
        public void writeWatermark(Watermark watermark) {
            // Window [start, end) fires when the watermark reaches end - 1.
            if (!windows.isEmpty() && windows.firstKey() - 1 <= watermark.getTimestamp()) {
                printClosed(watermark.getTimestamp() + 1);
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            if (endOfInput) {
                printFirstWindow();
            }
            printPlain();
        }

        private void printFirstWindow() {
            printClosed(Long.MAX_VALUE);
        }

        /**
         * Prints every buffered window ending at or before {@code maxEnd}: one table per window, or
         * one table with window columns when many windows (e.g. sessions) close together.
         */
        private void printClosed(long maxEnd) {
            TreeMap<List<Long>, List<Row>> closed =
                    new TreeMap<>(
                            (a, b) ->
                                    a.get(0).equals(b.get(0))
                                            ? Long.compare(a.get(1), b.get(1))
                                            : Long.compare(a.get(0), b.get(0)));
            while (!windows.isEmpty() && windows.firstKey() <= maxEnd) {
                for (Row r : windows.pollFirstEntry().getValue()) {
                    long end = (Long) r.getField(formatter.endIndex());
                    Object s =
                            formatter.startIndex() >= 0 ? r.getField(formatter.startIndex()) : null;
                    long start = s instanceof Long l ? l : end;
                    closed.computeIfAbsent(List.of(end, start), k -> new ArrayList<>()).add(r);
                }
            }
            if (closed.size() > 3) {
                List<Row> all = new ArrayList<>();
                closed.values().forEach(all::addAll);
                Console.results(formatter.format(all));
            } else {
                for (List<Row> rows : closed.values()) {
                    Console.results(formatter.format(rows));
                }
            }
        }

        private void printPlain() {
            if (!plain.isEmpty()) {
                Console.results(formatter.format(plain));
                plain.clear();
            }
        }

        @Override
        public void close() {}
    }
}
