package dev.weir.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.EventCodec;
import dev.weir.audit.format.EventFormat;
import dev.weir.audit.format.EventFormats;
import dev.weir.audit.pipeline.AuditPipeline;
import dev.weir.audit.sink.AuditSink;
import dev.weir.bench.load.AllScenarios;
import dev.weir.proxy.enforce.AuditSamples;
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
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.util.Statistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * What one request's audit record costs, split where weir splits the work (issue 16, "Audit
 * events cost a few hundred nanoseconds"):
 *
 * <ul>
 *   <li>{@link #onLoop}: the event loop's share, the firewall's whole audit step for an answered
 *       request in {@code async} mode (the default): the record handed to a real spooled pipeline
 *       (queue, writer, spool segment files, a shipper into a sink that discards) and the response
 *       released. The writer and the shipper run meanwhile on their own threads, as under load.</li>
 *   <li>{@link #offLoop}: the writer's and one sink's share per event, on one thread: the event
 *       made from what the loop handed over, numbered, encoded for the spool, decoded by the
 *       shipper and written as ECS JSON (the default file sink's format; the default chain sink
 *       writes ECS again).</li>
 *   <li>{@link #baselineJackson}: Jackson writing the same event as a flat JSON record, the cost
 *       of the simplest serialization of the same facts.</li>
 * </ul>
 *
 * Requests are the load benchmark's ({@code PeopleWorkload}) GetItem, Query, PutItem and
 * UpdateItem, read, decided and planned by the real firewall steps under the benchmark's
 * allow-all and demo policies ({@link AuditSamples}); every operation audits a fresh request
 * (a decision remembers what its request touches once worked out). {@code main} prints the
 * median and the range of the iterations per case.
 *
 * <pre>./weir bench jmh AuditEventBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class AuditEventBenchmark {
    static final int BATCH = 1024;
    static final String INSTANCE = "weir-bench-1";

    static AuditSamples samples(String policy, String kind) throws Exception {
        return new AuditSamples(policy.equals("demo") ? AllScenarios.DEMO_POLICY : AllScenarios.ALLOW_ALL_POLICY, kind, 256);
    }

    /** Takes each record and throws it away. */
    static final class Discard implements AuditSink {
        public void write(AuditEvent event) {}

        public void flush() {}

        public void close() {}
    }

    /** A batch of fresh answered requests per invocation, a spooled pipeline for the loop to publish into. */
    @State(Scope.Thread)
    public static class Requests {
        @Param({"GetItem", "Query", "PutItem", "UpdateItem"})
        public String kind;

        @Param({"allow-all", "demo"})
        public String policy;

        AuditSamples samples;
        AuditPipeline pipeline;
        Path spool;
        /** This invocation's requests (answered, fresh stages) and their records as the loop hands them over. */
        Object[] answered;
        Object[] records;
        long published;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            samples = samples(policy, kind);
            spool = Files.createTempDirectory("weir-audit-event-bench");
            pipeline = AuditPipeline.spooled(AuditPipeline.Options.defaults(INSTANCE, spool),
                    List.of(new AuditPipeline.NamedSink("discard", new Discard())));
            samples.auditingInto(pipeline);
        }

        @Setup(Level.Invocation)
        public void fresh() {
            answered = samples.answered(BATCH);
            records = new Object[BATCH];
            for (int i = 0; i < BATCH; i++) records[i] = samples.record(samples.answered(1)[0]);
        }

        /** Lets the writer finish this invocation's records (not measured), so the queue never fills. */
        @TearDown(Level.Invocation)
        public void drain() {
            while (pipeline.written() < published) LockSupport.parkNanos(50_000);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            pipeline.close();
            try (Stream<Path> files = Files.walk(spool)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One event of each case, made once. */
    @State(Scope.Thread)
    public static class OneEvent {
        @Param({"GetItem", "Query", "PutItem", "UpdateItem"})
        public String kind;

        @Param({"allow-all", "demo"})
        public String policy;

        final ObjectMapper json = new ObjectMapper();
        AuditEvent event;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            AuditSamples samples = samples(policy, kind);
            event = samples.event(samples.record(samples.answered(1)[0])).numbered(1, INSTANCE);
            System.out.println(kind + " " + policy + ": " + event);
        }
    }

    private static final EventFormat ECS = EventFormats.byName("ecs");

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void onLoop(Requests s, Blackhole bh) {
        for (Object a : s.answered) bh.consume(s.samples.audit(a));
        s.published += BATCH;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void offLoop(Requests s, Blackhole bh) throws IOException {
        long seq = 1;
        for (Object r : s.records) {
            byte[] spooled = EventCodec.encode(s.samples.event(r).numbered(seq++, INSTANCE));
            bh.consume(ECS.encode(EventCodec.decode(spooled)));
        }
    }

    @Benchmark
    public byte[] baselineJackson(OneEvent s) throws Exception {
        return s.json.writeValueAsBytes(s.event);
    }

    /** Runs the benchmark (JMH's command-line options apply) and prints each case's median and range. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args.length == 0
                ? new String[] {AuditEventBenchmark.class.getSimpleName()} : args);
        Collection<RunResult> results = new Runner(options).run();
        System.out.printf("%n%-16s %-10s %-10s %10s %21s%n", "benchmark", "kind", "policy", "median ns", "min - max ns");
        for (RunResult r : results) {
            Statistics s = r.getPrimaryResult().getStatistics();
            String method = r.getParams().getBenchmark();
            System.out.printf("%-16s %-10s %-10s %10.0f %10.0f - %8.0f%n", method.substring(method.lastIndexOf('.') + 1),
                    r.getParams().getParam("kind"), r.getParams().getParam("policy"), s.getPercentile(50), s.getMin(), s.getMax());
        }
    }
}
