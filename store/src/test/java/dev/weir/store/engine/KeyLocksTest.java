package dev.weir.store.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeyLocksTest {

    @Test
    void overlappingKeySetsInOppositeOrdersNeverDeadlock() throws Exception {
        KeyLocks locks = new KeyLocks(16);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) keys.add(new byte[] {(byte) i});
        int[] counter = {0};
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            boolean reversed = t % 2 == 0;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 2000; i++) {
                    List<byte[]> mine = new ArrayList<>(keys.subList(i % 20, i % 20 + 10));
                    if (reversed) java.util.Collections.reverse(mine);
                    mine.add(keys.getFirst());
                    locks.withLocks(mine, () -> counter[0]++);
                }
            }));
        }
        for (Future<?> f : futures) f.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        assertEquals(12_000, counter[0]);
    }
}
