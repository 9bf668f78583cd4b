package io.ipdm.dataflow.runtime;

import io.ipdm.dataflow.sink.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The progress convention of the CLI's long commands ({@code ipdm run}, {@code ipdm solana to-car},
 * {@code gen-car}, {@code index}): one status line on stderr, rewritten in place on a terminal
 * (printed as new lines otherwise, see {@link Console}) every {@code interval} from a daemon timer,
 * prefixed with the elapsed time as {@code [mm:ss]}; {@link #finish} ends the line and prints the
 * final summary. Commands run with {@code -q} create none ({@link #start} with {@code enabled}
 * false gives one that prints nothing).
 *
 * <p>Threading: the status function runs on the timer's thread, so what it reads must be safe to
 * read there (volatile or atomic counters); {@link #finish} may be called from any thread, once.
 */
public final class ProgressLine {
    private final ScheduledExecutorService timer;
    private final long started = System.currentTimeMillis();

    private ProgressLine(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * Starts the line: every {@code interval}, {@code status} of the elapsed milliseconds (null:
     * nothing new to show) after the elapsed time.
     */
    public static ProgressLine start(
            boolean enabled, Duration interval, LongFunction<String> status) {
        if (!enabled) {
            return new ProgressLine(null);
        }
        ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "ipdm-progress");
                            t.setDaemon(true);
                            return t;
                        });
        ProgressLine line = new ProgressLine(timer);
        timer.scheduleWithFixedDelay(
                () -> line.tick(status),
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return line;
    }

    private void tick(LongFunction<String> status) {
        try {
            long elapsed = System.currentTimeMillis() - started;
            String s = status.apply(elapsed);
            if (s != null) {
                Console.progress("[" + clock(elapsed) + "] " + s);
            }
        } catch (RuntimeException e) {
            // the work may be finishing; the next tick or the summary tells
        }
    }

    /** Milliseconds since the line started. */
    public long elapsedMillis() {
        return System.currentTimeMillis() - started;
    }

    /**
     * Stops the line and, when it was enabled, prints {@code summary} (null: none) to {@code err}
     * on a fresh line.
     */
    public void finish(String summary, PrintWriter err) {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Console.endProgress();
        if (summary != null) {
            err.print(summary);
            err.flush();
        }
    }

    /** {@code mm:ss}. */
    static String clock(long millis) {
        long s = millis / 1000;
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
