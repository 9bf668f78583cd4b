package io.ipdm.dataflow.sink;

import java.io.PrintStream;

/**
 * The terminal shared by the progress line (stderr, rewritten in place) and result tables (stdout).
 * Both run in the CLI's JVM with an embedded cluster; the lock keeps a table from being printed
 * into the middle of a progress line.
 */
public final class Console {
    private static final Object LOCK = new Object();
    private static String progress = "";
    private static boolean inPlace = detectTerminal();

    private Console() {}

    /** Prints a block of results to stdout, keeping the progress line below it. */
    public static void results(String block) {
        synchronized (LOCK) {
            PrintStream err = System.err;
            if (inPlace && !progress.isEmpty()) {
                err.print("\r\033[K");
                err.flush();
            }
            System.out.print(block);
            System.out.flush();
            if (inPlace && !progress.isEmpty()) {
                err.print(progress);
                err.flush();
            }
        }
    }

    /** Replaces the progress line (on a terminal) or prints it as a new line (otherwise). */
    public static void progress(String line) {
        synchronized (LOCK) {
            progress = line;
            if (inPlace) {
                System.err.print("\r\033[K" + line);
            } else {
                System.err.println(line);
            }
            System.err.flush();
        }
    }

    /** Ends the progress line so following output starts on a fresh line. */
    public static void endProgress() {
        synchronized (LOCK) {
            if (inPlace && !progress.isEmpty()) {
                System.err.println();
            }
            progress = "";
        }
    }

    public static boolean interactive() {
        return inPlace;
    }

    /** For tests and --quiet: print progress as plain lines. */
    public static void setInPlace(boolean value) {
        inPlace = value;
    }

    private static boolean detectTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // Java 22+: System.console() exists even when redirected; isTerminal() tells.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
