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
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + LIMIT.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
