package dev.weir.audit.pipeline;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.EventCodec;
import dev.weir.audit.sink.AuditSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer hands each written record's event to the shippers, so they need not decode it, but
 * only an event its record decodes to: a sink gets the same event whether it was handed over or
 * read back from the spool (after a restart, say).
 */
class HandedOverEventsTest {
    private static final String LONE = "x\uD800y";        // a high surrogate alone: UTF-8 cannot say it
    private static final String PAIR = "caf\u00e9 \uD83D\uDE00"; // é and an emoji: well-formed, not ASCII

    private static AuditEvent event(int i, String note) {
        return AuditEvent.builder().timeMicros(i).principal("p").operation("GetItem").table("t").decision("ALLOWED")
                .status(200).note(note).build();
    }

    /** What a shipper reading the record back from the spool gets for {@code e} numbered {@code seq}. */
    private static AuditEvent readBack(AuditEvent e, long seq) throws IOException {
        return EventCodec.decode(EventCodec.encode(e.numbered(seq, "w1")));
    }

    @Test
    void everySinkGetsTheEventItsRecordDecodesTo(@TempDir Path dir) throws Exception {
        SpooledPipelineTest.Collecting a = new SpooledPipelineTest.Collecting(), b = new SpooledPipelineTest.Collecting();
        AuditPipeline p = AuditPipeline.spooled(SpooledPipelineTest.options(dir, AuditPipeline.Mode.ASYNC,
                AuditPipeline.WhenFull.BLOCK, 1 << 24, null), List.of(new AuditPipeline.NamedSink("a", a), new AuditPipeline.NamedSink("b", b)));
        List<AuditEvent> published = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            AuditEvent e = event(i, switch (i % 3) {
                case 0 -> "plain";
                case 1 -> PAIR;
                default -> LONE;
            });
            published.add(e);
            p.publishDurable(e).get();
        }
        p.close();
        for (SpooledPipelineTest.Collecting sink : List.of(a, b)) {
            assertEquals(300, sink.events.size());
            for (int i = 0; i < 300; i++) {
                AuditEvent got = sink.events.get(i);
                assertEquals(readBack(published.get(i), i + 1), got, "event " + (i + 1));
            }
            assertEquals("x?y", sink.events.get(2).note(), "a lone surrogate reaches a sink as the spool holds it");
            assertEquals(PAIR, sink.events.get(1).note());
        }
    }

    /** A sink stuck on the first record: its shipper decodes nothing after it, yet the later records' events are kept. */
    @Test
    void theWriterKeepsTheEventsOfWrittenRecordsForTheShippers(@TempDir Path dir) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AuditSink stuck = new AuditSink() {
            public void write(AuditEvent e) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IOException(ex);
                }
            }

            public void flush() {}

            public void close() {}
        };
        AuditPipeline p = AuditPipeline.spooled(new AuditPipeline.Options("w1", 4096, dir, 8192, 1 << 24, AuditPipeline.Mode.SYNC,
                AuditPipeline.WhenFull.BLOCK, Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofSeconds(5)),
                List.of(new AuditPipeline.NamedSink("s", stuck)));
        try {
            List<AuditEvent> published = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                AuditEvent e = event(i, i == 4 ? LONE : "n" + i);
                published.add(e);
                assertEquals(i + 1, p.publishDurable(e).get());  // sync: its record is written and forced
            }
            for (int offset = 1; offset < 6; offset++) {
                AuditEvent kept = p.handedOver(offset);
                if (offset == 4) {
                    assertNull(kept, "an event its record does not decode to is not handed over");
                } else {
                    assertNotNull(kept, "record " + offset);
                    assertEquals(readBack(published.get(offset), offset + 1), kept);
                }
            }
            assertTrue(p.handedOver(0) != null, "the first record, which the shipper read too");
        } finally {
            release.countDown();
            p.close();
        }
    }
}
