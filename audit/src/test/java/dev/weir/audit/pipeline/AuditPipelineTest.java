package dev.weir.audit.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EcsJsonLines;
import dev.weir.audit.sink.FileSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AuditPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void concurrentProducersLoseNothingAndNumbersAreUnique(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit/audit.jsonl");
        AuditPipeline pipeline = new AuditPipeline(new FileSink(file, new EcsJsonLines()), "test-1", 1 << 16);
        int threads = 4, perThread = 5_000;
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) pipeline.publish(event("p" + id));
            }));
        }
        for (Thread p : producers) p.join();
        pipeline.close();

        List<String> lines = Files.readAllLines(file);
        assertEquals(threads * perThread, lines.size());
        assertEquals(0, pipeline.dropped());
        Set<Long> seqs = new HashSet<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            seqs.add(n.get("event.sequence").asLong());
            assertEquals("test-1", n.get("observer.name").asText());
        }
        assertEquals(threads * perThread, seqs.size());
        assertEquals(1L, seqs.stream().mapToLong(Long::longValue).min().orElseThrow());
        assertEquals((long) threads * perThread, seqs.stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    @Test
    void ecsLineCarriesTheDecision(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a.jsonl");
        AuditPipeline pipeline = new AuditPipeline(new FileSink(file, new EcsJsonLines()), "i", 16);
        pipeline.publish(new AuditEvent(0, null, 1_700_000_000_123_456L, "analyst", List.of("analyst"), "AKIA1",
                "127.0.0.1", 40000, "GetItem", "people", "ALLOWED", List.of("people-read"), "abc",
                List.of("ssn"), List.of("salary"), 200, null, 321));
        pipeline.close();
        JsonNode n = JSON.readTree(Files.readAllLines(file).getFirst());
        assertEquals("2023-11-14T22:13:20.123456Z", n.get("@timestamp").asText());
        assertEquals("GetItem", n.get("event.action").asText());
        assertEquals("success", n.get("event.outcome").asText());
        assertEquals("analyst", n.get("user.name").asText());
        assertEquals("ALLOWED", n.get("weir.decision").asText());
        assertEquals("people-read", n.get("rule.id").get(0).asText());
        assertEquals("ssn", n.get("weir.fields.masked").get(0).asText());
        assertEquals(321_000, n.get("event.duration").asLong());
    }

    @Test
    void fullQueueDropsAndCounts(@TempDir Path dir) throws Exception {
        // A sink that blocks until released keeps the writer busy so the queue fills up.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        dev.weir.audit.sink.AuditSink slow = new dev.weir.audit.sink.AuditSink() {
            public void write(AuditEvent e) {
                try { release.await(); } catch (InterruptedException ex) { Thread.currentThread().interrupt(); }
                seen.add(e.sequence());
            }
            public void flush() {}
            public void close() {}
        };
        AuditPipeline pipeline = new AuditPipeline(slow, "i", 8);
        int accepted = 0;
        for (int i = 0; i < 100; i++) if (pipeline.publish(event("x")) > 0) accepted++;
        release.countDown();
        pipeline.close();
        assertEquals(100 - accepted, pipeline.dropped());
        // every accepted event, then one gap event that records the drops
        assertEquals(accepted + 1, seen.size());
        assertEquals(1, pipeline.counters().gaps());
    }

    private static AuditEvent event(String principal) {
        return new AuditEvent(0, null, System.currentTimeMillis() * 1000, principal, List.of("r"), "AKIA", "127.0.0.1",
                1234, "GetItem", "people", "ALLOWED", List.of("rule"), "hash", List.of(), List.of(), 200, null, 10);
    }
}
