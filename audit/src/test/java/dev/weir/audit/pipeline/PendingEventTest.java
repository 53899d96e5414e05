package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.PendingEvent;
import dev.weir.audit.sink.AuditSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
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
}
