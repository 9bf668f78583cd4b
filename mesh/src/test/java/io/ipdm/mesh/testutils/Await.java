package io.ipdm.mesh.testutils;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that another thread (a host's event loop, a js peer) makes true. The time
 * limit only turns a hang into a failure; no test asserts on how long it took.
 */
public final class Await {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private Await() {}

    /** Polls {@code cond} until it holds; fails after 30 s. */
    public static void await(BooleanSupplier cond) throws InterruptedException {
        await("the condition", cond);
    }

    /** Polls {@code cond} until it holds; fails after 30 s naming {@code what}. */
    public static void await(String what, BooleanSupplier cond) throws InterruptedException {
        await(what, LIMIT, cond);
    }

    /**
     * Polls {@code cond} until it holds; fails after {@code limit} naming {@code what} (a longer
     * limit where a loaded machine needs one: a whole network forming, a job's windows).
     */
    public static void await(String what, Duration limit, BooleanSupplier cond)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
