package dev.weir.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.EventCodec;
import dev.weir.audit.format.EventFormat;
import dev.weir.audit.format.EventFormats;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.audit.sink.AuditSink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Audit events per second: formatting one event per SIEM format on one thread (so per core),
 * against a baseline in the same run (Jackson's generic serialization of the same record),
 * and the spooled pipeline end to end (publish, MPSC queue, writer, spool segment files,
 * shipper, a sink that discards), async and sync, against the same events written straight
 * into the discarding sink without a spool.
 *
 * <pre>./weir bench jmh AuditFormatBenchmark</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class AuditFormatBenchmark {
    static final int PIPELINE_BATCH = 10_000;

    /** A typical allowed Query with masking: every list and most strings filled. */
    static AuditEvent event(long seq) {
        return AuditEvent.builder().sequence(seq).instance("weir-bench-1").timeMicros(1_764_200_000_000_000L + seq)
                .principal("analyst-42").roles(List.of("analyst", "reader")).accessKeyId("AKIDEXAMPLE42")
                .source("10.1.2.3", 51234).operation("Query").table("people").index("by-region")
                .decision("ALLOWED").ruleIds(List.of("read-people", "mask-pii"))
                .policyHash("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .maskedFields(List.of("ssn", "email")).removedFields(List.of("salary", "address.street"))
                .itemKeys(List.of("id=S:u-1001", "id=S:u-1002", "id=S:u-1003"))
                .readPaths(List.of("region", "name", "email")).status(200).upstreamStatus(200).itemsReturned(3)
                .rowsDropped(1).latencyMicros(850).decideMicros(12).build();
    }

    @State(Scope.Thread)
    public static class Formats {
        @Param({"ecs", "ocsf", "cef", "leef", "syslog"})
        public String format;
        EventFormat f;
        AuditEvent e;

        @Setup
        public void setup() {
            f = EventFormats.byName(format);
            e = event(1);
            System.out.println(format + " record bytes: " + f.encode(e).length);
        }
    }

    @State(Scope.Thread)
    public static class Baseline {
        final ObjectMapper json = new ObjectMapper();
        final AuditEvent e = event(1);
    }

    @Benchmark
    public byte[] format(Formats s) {
        return s.f.encode(s.e);
    }

    /** Jackson's reflective serialization of the same record: what a plain JSON dump costs. */
    @Benchmark
    public byte[] baselineJacksonRecord(Baseline s) throws Exception {
        return s.json.writeValueAsBytes(s.e);
    }

    /** The spool's own binary encoding, which every spooled event goes through once. */
    @Benchmark
    public byte[] spoolCodec(Baseline s) {
        return EventCodec.encode(s.e);
    }

    /** Counts what it is given and throws it away. */
    static final class Discard implements AuditSink {
        final AtomicLong seen = new AtomicLong();
        private long batch;

        public void write(AuditEvent event) {
            batch++;
        }

        public void flush() {
            seen.addAndGet(batch);
            batch = 0;
        }

        public void close() {}
    }

    @State(Scope.Benchmark)
    public static class Pipeline {
        @Param({"direct", "async", "sync"})
        public String mode;
        AuditPipeline pipeline;
        Discard sink;
        Path dir;
        final AuditEvent e = event(0);

        @Setup(Level.Trial)
        public void setup() throws IOException {
            sink = new Discard();
            if (mode.equals("direct")) {
                pipeline = new AuditPipeline(sink, "weir-bench-1", 65_536);
                return;
            }
            dir = Files.createTempDirectory("weir-audit-bench");
            AuditPipeline.Options o = new AuditPipeline.Options("weir-bench-1", 65_536, dir, 0, 0,
                    mode.equals("sync") ? AuditPipeline.Mode.SYNC : AuditPipeline.Mode.ASYNC, AuditPipeline.WhenFull.BLOCK,
                    null, null, null);
            pipeline = AuditPipeline.spooled(o, List.of(new AuditPipeline.NamedSink("discard", sink)));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            pipeline.close();
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /**
     * Publishes {@value #PIPELINE_BATCH} events and waits until the sink has flushed all of
     * them: events per second through the whole pipeline. In sync mode each event waits for
     * its fsync (group commit), as a request does.
     */
    @Benchmark
    @OperationsPerInvocation(PIPELINE_BATCH)
    public long pipeline(Pipeline s) throws Exception {
        long target = s.sink.seen.get() + PIPELINE_BATCH;
        if (s.mode.equals("sync")) {
            CompletableFuture<?>[] all = new CompletableFuture<?>[PIPELINE_BATCH];
            for (int i = 0; i < PIPELINE_BATCH; i++) all[i] = s.pipeline.publishDurable(s.e);
            CompletableFuture.allOf(all).get(60, TimeUnit.SECONDS);
        } else {
            for (int i = 0; i < PIPELINE_BATCH; i++) {
                while (s.pipeline.publish(s.e) < 0) LockSupport.parkNanos(10_000);
            }
        }
        // Park rather than spin: on a small machine a spinning waiter takes the core the writer or shipper needs.
        while (s.sink.seen.get() < target) LockSupport.parkNanos(50_000);
        return s.sink.seen.get();
    }
}
