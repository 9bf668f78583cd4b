package io.ipdm.dataflow.runtime;

import io.ipdm.dataflow.sink.Console;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The progress line on stderr: records in/out, throughput, watermark, last checkpoint. */
final class Progress {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private final JobMetrics metrics;
    private final Duration interval;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "ipdm-progress");
                        t.setDaemon(true);
                        return t;
                    });
    private final long started = System.currentTimeMillis();
    private long lastIn;
    private long lastAt = started;
    private JobMetrics.Snapshot last;

    Progress(JobMetrics metrics, Duration interval) {
        this.metrics = metrics;
        this.interval = interval;
    }

    void start() {
        timer.scheduleWithFixedDelay(
                this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            JobMetrics.Snapshot s = metrics.snapshot();
            long now = System.currentTimeMillis();
            double rate = (s.recordsIn() - lastIn) * 1000.0 / Math.max(1, now - lastAt);
            lastIn = s.recordsIn();
            lastAt = now;
            last = s;
            Console.progress(line(s, rate, now));
        } catch (Exception e) {
            // The job may be finishing; the next tick or the summary tells.
        }
    }

    String line(JobMetrics.Snapshot s, double rate, long now) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "[%s] in %,d", clock(now - started), s.recordsIn()));
        b.append(String.format(Locale.ROOT, " (%,.0f/s)", rate));
        b.append(String.format(Locale.ROOT, " | out %,d", s.recordsOut()));
        b.append(" | watermark ")
                .append(
                        s.watermark() <= 0
                                ? "-"
                                : TIME.format(Instant.ofEpochMilli(s.watermark())));
        b.append(" | checkpoints ").append(s.checkpoints());
        if (s.lastCheckpointAt() > 0) {
            b.append(" (last ").append((now - s.lastCheckpointAt()) / 1000).append("s ago)");
        }
        return b.toString();
    }

    private static String clock(long millis) {
        long s = millis / 1000;
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    void finish() {
        timer.shutdownNow();
        Console.endProgress();
        if (last != null) {
            double secs = (System.currentTimeMillis() - started) / 1000.0;
            Console.results("");
            System.err.printf(
                    Locale.ROOT,
                    "ipdm: %,d rows read, %,d rows written in %.1f s (%,.0f rows/s)%n",
                    last.recordsIn(),
                    last.recordsOut(),
                    secs,
                    last.recordsIn() / Math.max(secs, 0.001));
        }
    }
}
