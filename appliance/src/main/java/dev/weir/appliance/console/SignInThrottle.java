package dev.weir.appliance.console;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows guessing: after {@link #LIMIT} refused sign-ins from one address within {@link #WINDOW_NANOS},
 * that address is refused without its credential being looked at until the oldest failure leaves
 * the window. At most {@link #ADDRESSES} addresses are tracked (the oldest forgotten first).
 */
final class SignInThrottle {
    static final int LIMIT = 10;
    static final long WINDOW_NANOS = 5L * 60 * 1_000_000_000L;
    static final int ADDRESSES = 4096;

    private final Map<String, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();
    private final LongSupplier nanos;

    SignInThrottle(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** True when {@code source} may try now. */
    boolean allows(String source) {
        ArrayDeque<Long> f = failures.get(source);
        if (f == null) return true;
        synchronized (f) {
            prune(f, nanos.getAsLong());
            return f.size() < LIMIT;
        }
    }

    void failed(String source) {
        if (failures.size() >= ADDRESSES && !failures.containsKey(source)) failures.clear();
        ArrayDeque<Long> f = failures.computeIfAbsent(source, s -> new ArrayDeque<>());
        synchronized (f) {
            long now = nanos.getAsLong();
            prune(f, now);
            f.addLast(now);
        }
    }

    void succeeded(String source) {
        failures.remove(source);
    }

    private static void prune(ArrayDeque<Long> f, long now) {
        while (!f.isEmpty() && now - f.peekFirst() > WINDOW_NANOS) f.removeFirst();
    }
}
