package dev.weir.lifecycle.call;

import dev.weir.lifecycle.worker.Backoff;

import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * One function call with its retries: the first attempt, then up to {@code retries} more, each
 * after the back-off's jittered wait, until one succeeds or the caller closes. Schedules and
 * API-call triggers deliver through it; what failed in the end goes to the dead letters.
 *
 * @param last     the last attempt's result (null when none was made)
 * @param attempts how many attempts were made
 */
public record Retries(CallResult last, int attempts) {
    /** Whether the call failed for good (after at least one attempt): a dead letter. */
    public boolean failed() {
        return last != null && !last.ok();
    }

    /**
     * Makes the attempts; {@code attempt} is given the attempt's number (from 1) and makes the call.
     * Returns null when interrupted while waiting (nothing more is to be done).
     */
    public static Retries run(int retries, Backoff backoff, RandomGenerator random, BooleanSupplier closed,
                              IntFunction<CallResult> attempt) {
        CallResult result = null;
        int n = 0;
        while (n <= retries && !closed.getAsBoolean()) {
            if (n > 0) {
                try {
                    Thread.sleep(backoff.before(n, random).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            n++;
            result = attempt.apply(n);
            if (result.ok()) break;
        }
        return new Retries(result, n);
    }
}
