package dev.weir.audit.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.Cef;
import dev.weir.audit.pipeline.AuditCounters;
import dev.weir.audit.pipeline.AuditPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Splunk HEC sink against a local collector that checks the token and the envelope. */
class HecSinkTest {
    static final String TOKEN = "8f6c1b0e-secret-hec-token";

    static AuditEvent event(long seq, String principal) {
        return AuditEvent.builder().sequence(seq).instance("weir-7").timeMicros(1_700_000_000_123_456L)
                .principal(principal).operation("Query").table("orders").decision("ALLOWED").status(200).build();
    }

    static HecSink.Options options(URI url, String token, int maxEvents) {
        return new HecSink.Options(url, token, null, null, null, "audit", null, maxEvents, 0, Duration.ofSeconds(5), null);
    }

    static List<Long> range(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (long i = from; i <= to; i++) l.add(i);
        return l;
    }

    static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void sendsBatchedEnvelopesWithTheToken() throws Exception {
        try (HecReceiver hec = new HecReceiver(TOKEN)) {
            HecSink sink = new HecSink(options(hec.url(), TOKEN, 500));
            for (long s = 1; s <= 1200; s++) sink.write(event(s, "alice"));
            sink.flush();
            sink.close();
            assertEquals(range(1, 1200), hec.sequences());
            assertEquals(3, sink.requests(), "500 + 500 + 200");
            assertEquals(3, hec.requests.get());
            JsonNode e = hec.envelopes.getFirst();
            assertEquals("1700000000.123456", e.get("time").decimalValue().toPlainString());
            assertEquals("weir-7", e.get("host").asText());
            assertEquals("weir", e.get("source").asText());
            assertEquals("weir:audit:ecs", e.get("sourcetype").asText());
            assertEquals("audit", e.get("index").asText());
            assertEquals("alice", e.get("event").get("user.name").asText());
            assertEquals(0, sink.dropped());
        }
    }

    @Test
    void aBatchIsSentWhenItReachesMaxBytes() throws Exception {
        try (HecReceiver hec = new HecReceiver(TOKEN)) {
            int one = new HecSink(options(hec.url(), TOKEN, 0)).envelopeBytes(event(1, "alice"));
            HecSink sink = new HecSink(new HecSink.Options(hec.url(), TOKEN, null, null, null, null, null, 0, one * 10, null, null));
            for (long s = 1; s <= 100; s++) sink.write(event(s, "alice"));
            sink.close();
            assertEquals(range(1, 100), hec.sequences());
            assertEquals(10, hec.requests.get(), "10 envelopes of " + one + " bytes per request");
        }
    }

    @Test
    void nonJsonFormatsTravelAsAString() throws Exception {
        try (HecReceiver hec = new HecReceiver(TOKEN)) {
            HecSink sink = new HecSink(new HecSink.Options(hec.url(), TOKEN, null, null, null, null, new Cef(), 0, 0, null, null));
            sink.write(event(1, "bob|x=y"));
            sink.close();
            JsonNode e = hec.envelopes.getFirst();
            assertEquals("weir:audit:cef", e.get("sourcetype").asText());
            assertTrue(e.get("event").isTextual());
            assertTrue(e.get("event").asText().startsWith("CEF:0|"), e.get("event").asText());
            assertTrue(e.get("event").asText().contains("suser=bob|x\\=y"), e.get("event").asText());
        }
    }

    @Test
    void aRefusedTokenFailsTheBatchSoItWaitsInTheSpoolAndTheTokenIsNeverShown() throws Exception {
        try (HecReceiver hec = new HecReceiver(TOKEN)) {
            HecSink.Options o = options(hec.url(), "wrong-token-value", 0);
            HecSink sink = new HecSink(o);
            sink.write(event(1, "a"));
            IOException e = assertThrows(IOException.class, sink::flush);
            assertTrue(e.getMessage().contains("HTTP 403") && e.getMessage().contains("token was refused"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong-token-value"));
            assertFalse(o.toString().contains("wrong-token-value"), o.toString());
            assertEquals(0, sink.dropped());
            assertTrue(hec.envelopes.isEmpty());
        }
    }

    @Test
    void serverErrorsAndConnectionErrorsAreRetryable() throws Exception {
        try (HecReceiver hec = new HecReceiver(TOKEN)) {
            HecSink sink = new HecSink(options(hec.url(), TOKEN, 0));
            hec.unavailable = true;
            sink.write(event(1, "a"));
            IOException busy = assertThrows(IOException.class, sink::flush);
            assertTrue(busy.getMessage().contains("HTTP 503"), busy.getMessage());
            hec.stop();
            sink.write(event(1, "a"));
            IOException refused = assertThrows(IOException.class, sink::flush);
            assertTrue(refused.getMessage().contains(hec.url().toString()), refused.getMessage());
            assertEquals(0, sink.dropped());
        }
    }

    @Test
    void anEventTheReceiverRefusesIsSkippedAndCountedTheRestOfItsBatchGoesThrough() throws Exception {
        try (HecReceiver hec = new HecReceiver(TOKEN)) {
            HecSink sink = new HecSink(options(hec.url(), TOKEN, 0));
            for (long s = 1; s <= 10; s++) sink.write(event(s, s == 4 ? "poison" : "a"));
            sink.flush();  // no exception: the batch is split and only the bad event is left out
            assertEquals(1, sink.dropped());
            assertEquals(List.of(1L, 2L, 3L, 5L, 6L, 7L, 8L, 9L, 10L), hec.sequences());
            sink.close();
        }
    }

    @Test
    void badOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HecSink.Options.of(URI.create("ftp://x"), TOKEN));
        assertThrows(IllegalArgumentException.class, () -> HecSink.Options.of(URI.create("http://x:8088"), " "));
        assertEquals(URI.create("http://x:8088/services/collector/event"), HecSink.Options.of(URI.create("http://x:8088"), TOKEN).url());
        assertEquals(URI.create("http://x/custom/path"), HecSink.Options.of(URI.create("http://x/custom/path"), TOKEN).url());
    }

    /**
     * Through the spooled pipeline: the collector answers 503, then is gone altogether, then
     * comes back on the same port. It ends up with every event (no gap; duplicates are allowed,
     * the guarantee is at least once), the healthy sink beside it is never held up, the counters
     * show the retries and the lag, and close() flushes the last events.
     */
    @Test
    void aCollectorThatIsDownForAWhileGetsEverythingAndNeverBlocksTheOtherSink(@TempDir Path spool) throws Exception {
        List<Long> local = new ArrayList<>();
        AuditSink healthy = new AuditSink() {
            final List<Long> batch = new ArrayList<>();
            public void write(AuditEvent e) { batch.add(e.sequence()); }
            public void flush() { synchronized (local) { local.addAll(batch); } batch.clear(); }
            public void close() {}
        };
        try (HecReceiver hec = new HecReceiver(TOKEN)) {
            AuditPipeline p = AuditPipeline.spooled(AuditPipeline.Options.defaults("weir-7", spool), List.of(
                    new AuditPipeline.NamedSink("splunk", new HecSink(options(hec.url(), TOKEN, 100))),
                    new AuditPipeline.NamedSink("local", healthy)));
            for (int i = 0; i < 1000; i++) p.publish(event(0, "before"));
            await(() -> hec.sequences().size() >= 1000, "the first 1000 events");

            hec.unavailable = true;
            for (int i = 0; i < 1000; i++) p.publish(event(0, "busy"));
            await(() -> { synchronized (local) { return local.size() == 2000; } }, "the healthy sink while HEC is busy");
            await(() -> p.counters().sinks().getFirst().retried() > 0 && p.counters().sinks().getFirst().lastError() != null,
                    "a counted retry");
            hec.stop();
            for (int i = 0; i < 1000; i++) p.publish(event(0, "gone"));
            await(() -> { synchronized (local) { return local.size() == 3000; } }, "the healthy sink while HEC is gone");
            AuditCounters.Sink down = p.counters().sinks().getFirst();
            assertEquals("splunk", down.name());
            assertTrue(down.lag() >= 2000, down.toString());
            assertTrue(down.lastError() != null, down.toString());

            hec.unavailable = false;
            hec.start();
            for (int i = 0; i < 1000; i++) p.publish(event(0, "after"));
            p.close();  // a clean close waits until the sink has caught up

            assertEquals(range(1, 4000), new ArrayList<>(new TreeSet<>(hec.sequences())), "every sequence number, no gap");
            synchronized (local) {
                assertEquals(range(1, 4000), local);
            }
            AuditCounters c = p.counters();
            assertEquals(4000, c.written());
            AuditCounters.Sink splunk = c.sinks().getFirst(), other = c.sinks().get(1);
            assertEquals(0, splunk.lag());
            assertEquals(0, splunk.dropped());
            assertTrue(splunk.retried() > 0);
            assertTrue(splunk.shipped() >= 4000);
            assertEquals(null, splunk.lastError());
            assertEquals(4000, other.shipped());
            assertEquals(0, other.retried());
        }
    }

    /** A permanently refused event is counted as dropped for that sink in the pipeline's counters. */
    @Test
    void refusedEventsShowInThePipelineCounters(@TempDir Path spool) throws Exception {
        try (HecReceiver hec = new HecReceiver(TOKEN)) {
            AuditPipeline p = AuditPipeline.spooled(AuditPipeline.Options.defaults("weir-7", spool), List.of(
                    new AuditPipeline.NamedSink("splunk", new HecSink(options(hec.url(), TOKEN, 100)))));
            for (int i = 0; i < 50; i++) p.publish(event(0, i == 10 || i == 20 ? "poison" : "a"));
            p.close();
            AuditCounters.Sink s = p.counters().sinks().getFirst();
            assertEquals(2, s.dropped());
            assertEquals(0, s.lag());
            assertEquals(48, hec.sequences().size());
            assertFalse(hec.sequences().contains(11L) || hec.sequences().contains(21L));
        }
    }
}
