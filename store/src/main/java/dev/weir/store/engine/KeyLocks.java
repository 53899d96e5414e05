package dev.weir.store.engine;

import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Striped locks over item keys: every write to an item runs under the lock of its key's
 * stripe, so a read-modify-write (ReturnValues, conditions, counters) is atomic per item
 * without a global lock. Two keys may share a stripe; that only serializes them. Several
 * keys (a transaction) are locked in ascending stripe order, so two writers never wait on
 * each other in a cycle.
 */
public final class KeyLocks {
    private final ReentrantLock[] stripes;
    private final int mask;

    public KeyLocks(int stripes) {
        int n = Integer.highestOneBit(Math.max(1, stripes - 1)) << 1;
        this.stripes = new ReentrantLock[n];
        for (int i = 0; i < n; i++) this.stripes[i] = new ReentrantLock();
        this.mask = n - 1;
    }

    public <T> T withLock(byte[] key, Supplier<T> action) {
        ReentrantLock lock = stripes[stripe(key)];
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} holding the stripes of all {@code keys}, taken in a fixed order. */
    public <T> T withLocks(Collection<byte[]> keys, Supplier<T> action) {
        int[] order = keys.stream().mapToInt(this::stripe).sorted().distinct().toArray();
        int held = 0;
        try {
            for (int s : order) {
                stripes[s].lock();
                held++;
            }
            return action.get();
        } finally {
            for (int i = held - 1; i >= 0; i--) stripes[order[i]].unlock();
        }
    }

    int stripe(byte[] key) {
        int h = Arrays.hashCode(key);
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h & mask;
    }
}
