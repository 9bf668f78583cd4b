package io.ipdm.dataflow.runtime;

import io.ipdm.dataflow.sink.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The progress line on stderr: rows in and out with their rates, rows dropped as late, watermark,
 * last checkpoint; at the end, rows read per source and, per sink, how many rows went where, from
 * the run's final counters ({@link RunCounters}), then a warning for every window that dropped
 * rows. Refreshed every {@code interval} (1 s by default) from gauges and counters read in this JVM
 * ({@link RunCounters}). Rates are over the last {@link #RATE_WINDOW}.
 */
final class Progress {
    static final Duration RATE_WINDOW = Duration.ofSeconds(3);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private final JobMetrics metrics;
    private final Duration interval;
    private final long started = System.currentTimeMillis();
    private final Deque<long[]> samples = new ArrayDeque<>(); // {at, in, out}
    private ProgressLine progress;

    Progress(JobMetrics metrics, Duration interval) {
        this.metrics = metrics;
        this.interval = interval;
    }

    void start() {
        progress = ProgressLine.start(true, interval, elapsed -> tick());
    }

    private String tick() {
        JobMetrics.Snapshot s;
        try {
            s = metrics.snapshot();
        } catch (Exception e) {
            return null; // the job may be finishing; the next tick or the summary tells
        }
        double[] rates = rates(samples, System.currentTimeMillis(), s.recordsIn(), s.recordsOut());
        return line(s, rates[0], rates[1]);
    }

    /**
     * Adds the sample {@code {at, in, out}} to {@code samples} and answers the in and out rates
     * over the last {@link #RATE_WINDOW}. A restarted task's counters start again from zero (its
     * new counters replace the failed attempt's), so counts can go down: the window then starts
     * over at that sample rather than showing a negative rate.
     */
    static double[] rates(Deque<long[]> samples, long at, long in, long out) {
        long[] last = samples.peekLast();
        if (last != null && (in < last[1] || out < last[2])) {
            samples.clear();
        }
        samples.addLast(new long[] {at, in, out});
        while (samples.size() > 2 && at - samples.peekFirst()[0] > RATE_WINDOW.toMillis()) {
            samples.removeFirst();
        }
        long[] first = samples.peekFirst();
        double secs = Math.max(0.001, (at - first[0]) / 1000.0);
        return samples.size() < 2
                ? new double[] {0, 0}
                : new double[] {(in - first[1]) / secs, (out - first[2]) / secs};
    }

    /** The line after the elapsed time. */
    String line(JobMetrics.Snapshot s, double inRate, double outRate) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "in %,d", s.recordsIn()));
        b.append(String.format(Locale.ROOT, " (%,.0f/s)", inRate));
        b.append(String.format(Locale.ROOT, " | out %,d (%,.0f/s)", s.recordsOut(), outRate));
        long late = s.lateDropped().stream().mapToLong(JobMetrics.Count::rows).sum();
        if (late > 0) {
            b.append(String.format(Locale.ROOT, " | late dropped %,d", late));
        }
        b.append(" | watermark ")
                .append(
                        s.watermark() <= 0
                                ? "-"
                                : s.watermark() == Long.MAX_VALUE
                                        ? "end of input"
                                        : TIME.format(Instant.ofEpochMilli(s.watermark())));
        if (s.deadLetters() > 0) {
            b.append(String.format(Locale.ROOT, " | dead letters %,d", s.deadLetters()));
        }
        b.append(" | checkpoints ").append(s.checkpoints());
        if (s.lastCheckpointAt() > 0) {
            b.append(" (last ")
                    .append((System.currentTimeMillis() - s.lastCheckpointAt()) / 1000)
                    .append("s ago)");
        }
        return b.toString();
    }

    /** Stops the line and prints the summary of {@code end}, the job's final counts. */
    void finish(JobMetrics.Snapshot end) {
        double secs = (System.currentTimeMillis() - started) / 1000.0;
        if (end != null) {
            Console.results(""); // results printed so far reach stdout before the summary
        }
        progress.finish(
                end == null ? null : summary(end, secs),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    }

    /**
     * Rows read (per source when there are several), then one line per sink: rows written and where
     * (with files for file sinks), then one line per window that dropped late rows.
     */
    static String summary(JobMetrics.Snapshot s, double secs) {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        Locale.ROOT,
                        "ipdm: %,d rows read in %.1f s (%,.0f rows/s)%n",
                        s.recordsIn(),
                        secs,
                        s.recordsIn() / Math.max(secs, 0.001)));
        if (s.sources().size() > 1) {
            for (JobMetrics.Count c : s.sources()) {
                b.append(
                        String.format(
                                Locale.ROOT, "ipdm:   source %s: %,d rows%n", c.id(), c.rows()));
            }
        }
        for (JobMetrics.Count c : s.filteredInSources()) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "ipdm:   source %s: %,d of its rows dropped as it read them, by the"
                                    + " filter pushed down into it%n",
                            c.id(),
                            c.rows()));
        }
        for (JobMetrics.SinkCount c : s.sinks()) {
            b.append(String.format(Locale.ROOT, "ipdm:   sink %s: %,d rows", c.id(), c.rows()));
            if (!c.where().isEmpty()) {
                b.append(" -> ").append(c.where());
                String files = files(c.where());
                if (files != null) {
                    b.append(" (").append(files).append(')');
                }
            }
            b.append(System.lineSeparator());
        }
        for (JobMetrics.Count c : s.lateDropped()) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "ipdm:   window %s: %,d late rows dropped%n",
                            c.id(),
                            c.rows()));
        }
        return b.toString();
    }

    /**
     * One warning per window stage that dropped rows as late: the stage, the count and how to keep
     * them. Empty when nothing was dropped.
     */
    public static List<String> warnings(JobMetrics.Snapshot s) {
        List<String> out = new ArrayList<>();
        for (JobMetrics.Count c : s.lateDropped()) {
            out.add(
                    String.format(
                            Locale.ROOT,
                            "ipdm: warning: window stage '%s' dropped %,d %s as late (event time"
                                    + " behind its window's end plus allowed_lateness when they"
                                    + " came); to keep them, add `late_output: %s_late` to its"
                                    + " window: and send that stream to a sink, or raise"
                                    + " event_time.max_out_of_orderness or the window's"
                                    + " allowed_lateness",
                            c.id(),
                            c.rows(),
                            c.rows() == 1 ? "row" : "rows",
                            c.id()));
        }
        for (JobMetrics.Count c : s.corruptBlocks()) {
            out.add(
                    String.format(
                            Locale.ROOT,
                            "ipdm: warning: source '%s' skipped %,d corrupt %s (on_corrupt_block:"
                                    + " skip), so its rows are missing; each one's file, slot and"
                                    + " reason are in the log (%s); on_corrupt_block: fail stops"
                                    + " at the first",
                            c.id(),
                            c.rows(),
                            c.rows() == 1 ? "block" : "blocks",
                            logFile()));
        }
        for (JobMetrics.Count c : s.archivesReadInOrder()) {
            out.add(
                    String.format(
                            Locale.ROOT,
                            "ipdm: warning: source '%s' read %s as one stream in order, not"
                                    + " range-parallel: the server has no range reads (it answers"
                                    + " a Range request with the whole archive; the archive is in"
                                    + " the log, %s); serve it from a server with range support"
                                    + " for a parallel backfill",
                            c.id(),
                            c.rows() == 1 ? "an archive" : String.format("%,d archives", c.rows()),
                            logFile()));
        }
        return out;
    }

    /** Where the CLI's log4j configuration (bin/log4j2-cli.properties) writes warnings. */
    private static String logFile() {
        return System.getProperty(
                "ipdm.log.file",
                Path.of(System.getProperty("java.io.tmpdir"), "ipdm.log").toString());
    }

    /** "N files" for a jsonl/parquet sink's directory ("jsonl DIR"), else null. */
    private static String files(String where) {
        int space = where.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String kind = where.substring(0, space);
        if (!kind.equals("jsonl") && !kind.equals("parquet")) {
            return null;
        }
        Path dir = Path.of(where.substring(space + 1));
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            long n =
                    all.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .count();
            return n + (n == 1 ? " file" : " files");
        } catch (IOException e) {
            return null;
        }
    }
}
