package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.PendingEvent;
import dev.weir.audit.sink.AuditSink;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link PendingEvent} is made into its event on the writer's thread, once, and numbered there
 * with the number it got when published; one that cannot be made is a counted, recorded loss (a
 * sync caller is told, so the proxy answers 500), and the writer goes on.
 */
class PendingEventTest {
    /** Counts how often, and on which thread, it was made. */
    static final class Counted implements PendingEvent {
        final AtomicInteger made = new AtomicInteger();
        volatile String thread;
        final String principal;

        Counted(String principal) {
            this.principal = principal;
        }

        @Override public AuditEvent event() {
            made.incrementAndGet();
            thread = Thread.currentThread().getName();
            if (principal == null) throw new IllegalStateException("a bug");
            return AuditEvent.builder().principal(principal).operation("GetItem").decision("ALLOWED").build();
        }
    }

    static AuditSink into(List<AuditEvent> events) {
        return new AuditSink() {
            @Override public void write(AuditEvent event) {
                events.add(event);
            }

            @Override public void flush() {}

            @Override public void close() {}
        };
    }

    @Test
    void pendingEventsAreMadeOnTheWriterOnceAndNumberedAsPublished(@TempDir Path dir) throws Exception {
        List<AuditEvent> shipped = new CopyOnWriteArrayList<>();
        Counted a = new Counted("ada"), b = new Counted("bo");
        try (AuditPipeline p = AuditPipeline.spooled(new AuditPipeline.Options("i-1", 0, dir, 0, 0, AuditPipeline.Mode.SYNC,
                AuditPipeline.WhenFull.BLOCK, Duration.ofSeconds(5), null, Duration.ofSeconds(5)),
                List.of(new AuditPipeline.NamedSink("list", into(shipped))))) {
            long first = p.publishDurable(a).get(5, TimeUnit.SECONDS);
            long second = p.publish(b);
            assertEquals(first + 1, second);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (shipped.size() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(List.of("ada", "bo"), shipped.stream().map(AuditEvent::principal).toList());
            assertEquals(List.of(first, second), shipped.stream().map(AuditEvent::sequence).toList());
            assertEquals(List.of("i-1", "i-1"), shipped.stream().map(AuditEvent::instance).toList());
        }
        assertEquals(1, a.made.get(), "made once");
        assertEquals(1, b.made.get());
        assertEquals("weir-audit-writer", a.thread, "made on the writer's thread, not the publisher's");
    }

    @Test
    void anEventThatCannotBeMadeIsALossTheSyncCallerHearsOf(@TempDir Path dir) throws Exception {
        List<AuditEvent> shipped = new CopyOnWriteArrayList<>();
        try (AuditPipeline p = AuditPipeline.spooled(new AuditPipeline.Options("i-1", 0, dir, 0, 0, AuditPipeline.Mode.SYNC,
                AuditPipeline.WhenFull.BLOCK, Duration.ofSeconds(5), null, Duration.ofSeconds(5)),
                List.of(new AuditPipeline.NamedSink("list", into(shipped))))) {
            CompletableFuture<Long> broken = p.publishDurable(new Counted(null));
            ExecutionException e = assertThrows(ExecutionException.class, () -> broken.get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("could not be made"), e.getCause().getMessage());
            long after = p.publishDurable(new Counted("ada")).get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (shipped.size() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
            AuditEvent gap = shipped.stream().filter(x -> "weir:AuditGap".equals(x.operation())).findFirst().orElseThrow();
            assertEquals(List.of("1"), gap.lostSequences(), "the lost number is named");
            assertTrue(gap.note().contains("could not be made"), gap.note());
            assertTrue(shipped.stream().anyMatch(x -> x.sequence() == after && "ada".equals(x.principal())), "the writer went on");
            assertEquals(1, p.counters().dropped());
        }
    }

    private static AuditPipeline asyncPipeline(Path dir, List<AuditEvent> shipped) throws java.io.IOException {
        return AuditPipeline.spooled(new AuditPipeline.Options("i-1", 0, dir, 0, 0, AuditPipeline.Mode.ASYNC,
                AuditPipeline.WhenFull.BLOCK, Duration.ofSeconds(5), null, Duration.ofSeconds(5)),
                List.of(new AuditPipeline.NamedSink("list", into(shipped))));
    }

    private static void awaitMade(Counted c, long withinMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMillis);
        while (c.made.get() == 0 && System.nanoTime() < deadline) Thread.sleep(2);
    }

    /**
     * In async mode a publisher on an event loop hands the sleeping writer's wake-up to its loop,
     * which runs it after the answer is written; the event is queued at once and made when the
     * task runs. (The writer, asleep on an empty queue, otherwise looks again only after its idle
     * second, which the test stays well inside.)
     */
    @Test
    void anAsyncPublisherHandsTheSleepingWritersWakeUpToItsLoop(@TempDir Path dir) throws Exception {
        List<AuditEvent> shipped = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        try (AuditPipeline p = asyncPipeline(dir, shipped)) {
            Thread.sleep(100); // the writer falls asleep on the empty queue
            List<Runnable> loop = new ArrayList<>();
            Counted a = new Counted("ada");
            long seq = p.publishDurable(a, loop::add).get(1, TimeUnit.SECONDS);
            assertEquals(1, loop.size(), "the wake-up went to the publisher's loop");
            Thread.sleep(200);
            Assumptions.assumeTrue((System.nanoTime() - started) / 1_000_000 < 800,
                    "the test thread was held up past the writer's idle second: nothing to conclude");
            assertEquals(0, a.made.get(), "the writer sleeps until the loop runs the task");
            long ran = System.nanoTime();
            loop.getFirst().run();
            awaitMade(a, 2_000);
            assertEquals(1, a.made.get());
            assertTrue((System.nanoTime() - ran) / 1_000_000 < 500, "made once woken");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (shipped.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(seq, shipped.getFirst().sequence());
        }
    }

    /** A loop that refuses the task (shutting down) does not leave the event asleep: the writer is woken at once. */
    @Test
    void aLoopThatRefusesTheWakeUpHasTheWriterWokenAtOnce(@TempDir Path dir) throws Exception {
        List<AuditEvent> shipped = new CopyOnWriteArrayList<>();
        try (AuditPipeline p = asyncPipeline(dir, shipped)) {
            Thread.sleep(100);
            Counted a = new Counted("ada");
            long published = System.nanoTime();
            p.publishDurable(a, task -> {
                throw new RejectedExecutionException("shutting down");
            }).get(1, TimeUnit.SECONDS);
            awaitMade(a, 2_000);
            assertEquals(1, a.made.get());
            assertTrue((System.nanoTime() - published) / 1_000_000 < 500, "woken at once, not at the end of its idle second");
        }
    }

    /** In sync mode the caller waits for the record: the writer is woken at once and the loop is given nothing. */
    @Test
    void aSyncPublisherWakesTheWriterItselfAndGivesItsLoopNothing(@TempDir Path dir) throws Exception {
        List<AuditEvent> shipped = new CopyOnWriteArrayList<>();
        try (AuditPipeline p = AuditPipeline.spooled(new AuditPipeline.Options("i-1", 0, dir, 0, 0, AuditPipeline.Mode.SYNC,
                AuditPipeline.WhenFull.BLOCK, Duration.ofSeconds(5), null, Duration.ofSeconds(5)),
                List.of(new AuditPipeline.NamedSink("list", into(shipped))))) {
            Thread.sleep(100);
            List<Runnable> loop = new ArrayList<>();
            long seq = p.publishDurable(new Counted("ada"), loop::add).get(5, TimeUnit.SECONDS);
            assertTrue(seq > 0);
            assertTrue(loop.isEmpty(), "nothing handed to the loop");
        }
    }
}
