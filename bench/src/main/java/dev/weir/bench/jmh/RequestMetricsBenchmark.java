package dev.weir.bench.jmh;

import dev.weir.proxy.enforce.AuditSamples;
import dev.weir.proxy.metrics.RequestMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the request metrics cost the event loop (issue 18: "well under a microsecond"), set
 * against the firewall's own loop work for the same request: {@link #withoutMetrics} reads the
 * request (every expression parsed), decides it under the demo policy and plans it, as the
 * firewall does before forwarding; {@link #withMetrics} does the same and records the answered
 * request as the firewall does once per request (label values worked out from the stages, one
 * request counter, one counter per deciding rule, three histogram observations). The ratio is
 * printed by {@code main}; {@link #recordOnly} is the recording alone, in nanoseconds. Requests
 * are the load benchmark's GetItem and Query ({@link AuditSamples}). Single-threaded: recording
 * shares no lock and no atomic counter between loops (counters are striped adders, histograms
 * one stripe per thread), so more loops do not make it dearer.
 *
 * <pre>./weir bench jmh RequestMetricsBenchmark   (or run this class's main for the ratio)</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RequestMetricsBenchmark {
    @State(Scope.Thread)
    public static class Requests {
        @Param({"GetItem", "Query"})
        public String kind;

        AuditSamples samples;
        Object[] answered;
        int next;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            samples = AuditEventBenchmark.samples("demo", kind).auditingInto(null, new RequestMetrics(new PrometheusRegistry()));
            answered = samples.answered(256);
        }
    }

    @Benchmark
    public Object withoutMetrics(Requests r) {
        return r.samples.decideAnew();
    }

    @Benchmark
    public Object withMetrics(Requests r) {
        Object a = r.samples.decideAnew();
        r.samples.meter(a);
        return a;
    }

    @Benchmark
    public void recordOnly(Requests r) {
        r.samples.meter(r.answered[r.next]);
        r.next = (r.next + 1) & 255;
    }

    public static void main(String[] args) throws Exception {
        Ratios.print(args, RequestMetricsBenchmark.class, "withMetrics", "withoutMetrics");
    }
}
