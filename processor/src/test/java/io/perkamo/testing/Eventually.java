package io.perkamo.testing;

import java.time.Duration;
import java.util.Optional;

/**
 * The one way tests wait for something asynchronous: retry an assertion, or poll a condition or
 * a value, until it holds or the timeout elapses. The timeout only bounds the wait (a test never
 * passes or fails on how long something took), so make it generous.
 *
 * <p>The functional interfaces carry the checked exception of the lambda, so a caller declares
 * only what its own code throws (plus {@link InterruptedException} for the pauses).
 */
public final class Eventually {
    /** Pause between two attempts. */
    private static final Duration PAUSE = Duration.ofMillis(100);

    private Eventually() {
    }

    @FunctionalInterface
    public interface Assertion<E extends Exception> {
        void check() throws E;
    }

    @FunctionalInterface
    public interface Attempt<T, E extends Exception> {
        T get() throws E;
    }

    @FunctionalInterface
    public interface Condition<E extends Exception> {
        boolean holds() throws E;
    }

    /**
     * Runs the assertion until it passes; after the timeout, rethrows its last failure. Only
     * {@link AssertionError}s are retried: any other exception ends the wait at once.
     */
    public static <E extends Exception> void eventually(Duration timeout, Assertion<E> assertion)
            throws E, InterruptedException {
        eventually(timeout, () -> {
            assertion.check();
            return null;
        });
    }

    /** As {@link #eventually(Duration, Assertion)}, returning the value of the passing attempt. */
    public static <T, E extends Exception> T eventually(Duration timeout, Attempt<T, E> assertion)
            throws E, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return assertion.get();
            } catch (AssertionError e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
            }
            Thread.sleep(PAUSE.toMillis());
        }
    }

    /**
     * The first present value of the attempt, or empty once the timeout has elapsed. Anything the
     * attempt throws (a failed assertion too) ends the wait at once: the way to fail fast, for
     * example when the process being waited for has ended.
     */
    public static <T, E extends Exception> Optional<T> untilPresent(Duration timeout,
                                                                    Attempt<Optional<T>, E> attempt)
            throws E, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = attempt.get();
            if (value.isPresent() || System.nanoTime() - deadline >= 0) {
                return value;
            }
            Thread.sleep(PAUSE.toMillis());
        }
    }

    /** Whether the condition came to hold within the timeout; what it throws ends the wait at once. */
    public static <E extends Exception> boolean holdsWithin(Duration timeout, Condition<E> condition)
            throws E, InterruptedException {
        return untilPresent(timeout, () -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty())
                .isPresent();
    }

    /**
     * Waits until the condition holds; fails (AssertionError) when it does not within the timeout.
     *
     * @param what the state waited for, for the failure message ("the program in force")
     */
    public static <E extends Exception> void await(Duration timeout, Condition<E> condition, String what)
            throws E, InterruptedException {
        if (!holdsWithin(timeout, condition)) {
            throw new AssertionError("not within " + describe(timeout) + ": " + what);
        }
    }

    static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
