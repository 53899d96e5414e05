package dev.weir.proxy.upstream;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One loop's sorted list of exchange deadlines behind one timed task (issue 16). */
class LoopDeadlinesTest {
    private EventLoop loop;
    private LoopDeadlines deadlines;
    /** Fired nodes, in the order they fired. */
    private final List<Probe> fired = new CopyOnWriteArrayList<>();

    private final class Probe extends LoopDeadlines.Node {
        final String name;
        final long at;
        volatile long firedAt;

        Probe(String name, long at) {
            this.name = name;
            this.at = at;
        }

        @Override
        void expire() {
            assertTrue(loop.inEventLoop(), "expiry on the loop");
            firedAt = System.nanoTime();
            fired.add(this);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void start() {
        loop = new DefaultEventLoop();
        deadlines = new LoopDeadlines(loop);
    }

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private <T> T onLoop(Callable<T> c) throws Exception {
        return loop.submit(c).get(5, TimeUnit.SECONDS);
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private void awaitFired(int n) throws InterruptedException {
        long until = System.nanoTime() + ms(5_000);
        while (fired.size() < n && System.nanoTime() < until) Thread.sleep(5);
    }

    @Test
    void deadlinesArmedOutOfOrderFireInTheirOrderAndNotBefore() throws Exception {
        long t0 = System.nanoTime();
        Probe late = new Probe("late", t0 + ms(300)), early = new Probe("early", t0 + ms(100)), middle = new Probe("middle", t0 + ms(200));
        onLoop(() -> {
            deadlines.arm(late, late.at);
            deadlines.arm(early, early.at);
            deadlines.arm(middle, middle.at);
            return null;
        });
        awaitFired(3);
        assertEquals(List.of(early, middle, late), fired);
        for (Probe p : fired) {
            assertTrue(p.firedAt - p.at >= 0, p + " fired before its deadline");
            assertTrue(p.firedAt - p.at < ms(250), p + " fired " + (p.firedAt - p.at) / 1_000_000 + " ms late");
        }
        assertEquals(0, (int) onLoop(deadlines::armed));
        assertFalse(onLoop(deadlines::timerPending), "no deadline left, no timed task");
    }

    @Test
    void aDisarmedDeadlineNeverFiresAndTheNextStillFiresOnTime() throws Exception {
        long t0 = System.nanoTime();
        Probe first = new Probe("first", t0 + ms(80)), second = new Probe("second", t0 + ms(200));
        onLoop(() -> {
            deadlines.arm(first, first.at);
            deadlines.arm(second, second.at);
            deadlines.disarm(first); // the timed task stays due at 80 ms and reschedules itself then
            deadlines.disarm(first); // twice is nothing
            return null;
        });
        awaitFired(1);
        Thread.sleep(100);
        assertEquals(List.of(second), fired);
        assertTrue(second.firedAt - second.at >= 0 && second.firedAt - second.at < ms(250), "on time");
    }

    @Test
    void anEarlierDeadlineThanTheTimersMovesTheTimerUp() throws Exception {
        long t0 = System.nanoTime();
        Probe slow = new Probe("slow", t0 + ms(5_000)), quick = new Probe("quick", t0 + ms(50));
        onLoop(() -> {
            deadlines.arm(slow, slow.at);
            deadlines.arm(quick, quick.at); // goes first: the 5 s task would be 4.95 s late for it
            return null;
        });
        awaitFired(1);
        assertEquals(List.of(quick), fired);
        assertTrue(quick.firedAt - quick.at < ms(250), "fired " + (quick.firedAt - quick.at) / 1_000_000 + " ms late");
        assertEquals(1, (int) onLoop(deadlines::armed));
        onLoop(() -> {
            deadlines.disarm(slow);
            return null;
        });
    }

    @Test
    void aPassedDeadlineFiresOnTheNextTurnAndAFailingExpiryStopsNoOther() throws Exception {
        long t0 = System.nanoTime();
        LoopDeadlines.Node throwing = new LoopDeadlines.Node() {
            @Override
            void expire() {
                throw new IllegalStateException("a bug in an expiry");
            }
        };
        Probe after = new Probe("after", t0 + ms(1));
        onLoop(() -> {
            deadlines.arm(throwing, t0 - ms(10));
            deadlines.arm(after, after.at);
            return null;
        });
        awaitFired(1);
        assertEquals(List.of(after), fired);
        assertThrows(IllegalStateException.class, () -> {
            try {
                onLoop(() -> {
                    Probe p = new Probe("twice", t0 + ms(10_000));
                    deadlines.arm(p, p.at);
                    try {
                        deadlines.arm(p, p.at);
                    } finally {
                        deadlines.disarm(p);
                    }
                    return null;
                });
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause();
            }
        });
    }

    /** Seeded: random deadlines armed in random order, a random half disarmed; exactly the rest fire, by deadline. */
    @Test
    void seededArmsAndDisarmsFireExactlyTheArmedInDeadlineOrder() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            fired.clear();
            Random random = new Random(seed);
            long t0 = System.nanoTime() + ms(30);
            List<Probe> all = new ArrayList<>();
            for (int k = 0; k < 200; k++) all.add(new Probe("p" + k, t0 + random.nextLong(ms(60))));
            List<Probe> kept = new ArrayList<>();
            onLoop(() -> {
                for (Probe p : all) deadlines.arm(p, p.at);
                for (Probe p : all) {
                    if (random.nextBoolean()) deadlines.disarm(p);
                    else kept.add(p);
                }
                return null;
            });
            awaitFired(kept.size());
            Thread.sleep(20);
            kept.sort(Comparator.comparingLong(p -> p.at));
            assertEquals(kept.size(), fired.size(), "seed " + seed);
            for (int k = 0; k < fired.size(); k++) {
                assertEquals(kept.get(k).at, fired.get(k).at, "seed " + seed + ": the " + k + "th to fire");
                assertTrue(fired.get(k).firedAt - fired.get(k).at >= 0, "seed " + seed + ": fired early");
            }
            assertEquals(0, (int) onLoop(deadlines::armed));
        }
    }

    /** A busy loop: thousands of exchanges armed and ended well before their deadlines schedule the loop's timer once. */
    @Test
    void exchangesThatEndInTimeLeaveOneTimerAndAnEmptyList() throws Exception {
        long t0 = System.nanoTime();
        List<Probe> all = new ArrayList<>();
        for (int k = 0; k < 10_000; k++) all.add(new Probe("p" + k, t0 + ms(10_000) + k));
        onLoop(() -> {
            for (int k = 0; k < all.size(); k++) {
                deadlines.arm(all.get(k), all.get(k).at);
                if (k >= 32) deadlines.disarm(all.get(k - 32)); // 32 in flight at a time
            }
            for (int k = all.size() - 32; k < all.size(); k++) deadlines.disarm(all.get(k));
            return null;
        });
        assertEquals(0, (int) onLoop(deadlines::armed));
        assertTrue(onLoop(deadlines::timerPending), "the first deadline's task is still due (it ends itself when it runs)");
        assertEquals(1L, (long) onLoop(deadlines::schedules), "one timed task for 10,000 exchanges");
        assertTrue(fired.isEmpty());
    }
}
