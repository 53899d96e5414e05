package dev.weir.bench.jmh;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.bench.load.PeopleWorkload;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.enforce.request.BodyTree;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.RequestParser;
import dev.weir.proxy.upstream.UpstreamAccount;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.util.Statistics;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What reading one request costs weir before anything is decided: {@link RequestParser#parse}
 * (the Jackson tree with duplicate detection, the members weir knows, the table names, every
 * expression parsed and checked, the legacy parameters) on each kind of request the load
 * benchmark sends ({@code PeopleWorkload}, the same bodies), against the baseline of a plain
 * Jackson {@code readTree} of the same bytes in the same run. Each invocation takes the next of
 * {@value #POOL} distinct bodies of its kind (other keys, names and values; the same expression
 * texts, as a client sends them), so a cache keyed by a body's values would show as a miss.
 *
 * <p>It also times {@link BodyTree} (the request's tree straight from its bytes) against Jackson
 * doing the same work as weir had it do ({@code jacksonAsWeir}). {@code main} runs all four and
 * prints the ratios per kind ({@code parse / readTree}, {@code bodyTree / jacksonAsWeir});
 * through {@code ./weir bench jmh RequestParse} JMH prints the series and the ratios are left
 * to the reader.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RequestParseBenchmark {
    static final int POOL = 256;

    @Param({"GetItem", "Query", "Scan", "PutItem", "UpdateItem"})
    public String kind;

    private final ObjectMapper mapper = new ObjectMapper();
    private final ObjectMapper weirJackson = JsonBodies.mapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final RequestParser parser = new RequestParser(UpstreamAccount.DEFAULT);
    private String target;
    private byte[][] bodies;
    private int next;

    @Setup
    public void setup() {
        PeopleWorkload workload = new PeopleWorkload(mapper, 10_000);
        target = Target.of(Operation.valueOf(kind));
        bodies = new byte[POOL][];
        for (int k = 0; k < POOL; k++) {
            bodies[k] = workload.sampleBody(kind, k);
            // Fail before measuring if a body is refused (a benchmark of the error path would mislead).
            parser.parse("bench", target, bodies[k]);
            if (BodyTree.read(bodies[k]) == null) throw new IllegalStateException("BodyTree declines a " + kind + " body");
        }
    }

    private byte[] nextBody() {
        byte[] body = bodies[next];
        next = (next + 1) & (POOL - 1);
        return body;
    }

    /** The request read as weir reads it. */
    @Benchmark
    public ParsedRequest parse() {
        return parser.parse("bench", target, nextBody());
    }

    /** Baseline: Jackson's tree of the same body, the least any tree-based reading costs. */
    @Benchmark
    public JsonNode jacksonReadTree() throws Exception {
        return mapper.readTree(nextBody());
    }

    /** The body's tree as weir reads it first: {@link BodyTree}, straight from the bytes. */
    @Benchmark
    public JsonNode bodyTree() {
        return BodyTree.read(nextBody());
    }

    /**
     * Baseline for {@link #bodyTree}: Jackson doing the same work as weir had it do (names not kept between
     * parses, so the reader-based parser; duplicates and trailing content refused).
     */
    @Benchmark
    public JsonNode jacksonAsWeir() throws Exception {
        return weirJackson.readTree(nextBody());
    }

    /**
     * Runs the benchmark (JMH's command-line options apply) and prints, per kind, parse / readTree and
     * bodyTree / jacksonAsWeir.
     */
    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args.length == 0
                ? new String[] {RequestParseBenchmark.class.getSimpleName()} : args);
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Map<String, Statistics>> byMethod = new TreeMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            byMethod.computeIfAbsent(method, m -> new TreeMap<>()).put(r.getParams().getParam("kind"),
                    r.getPrimaryResult().getStatistics());
        }
        ratios(byMethod, "parse", "jacksonReadTree");
        ratios(byMethod, "bodyTree", "jacksonAsWeir");
    }

    private static void ratios(Map<String, Map<String, Statistics>> byMethod, String measured, String baseline) {
        Map<String, Statistics> m = byMethod.getOrDefault(measured, Map.of());
        Map<String, Statistics> b = byMethod.getOrDefault(baseline, Map.of());
        System.out.printf("%n%-11s %22s %22s %7s%n", "kind", measured + " ns/op (±99.9%)", baseline + " ns/op", "ratio");
        for (String kind : m.keySet()) {
            Statistics p = m.get(kind);
            Statistics t = b.get(kind);
            if (t == null) continue;
            System.out.printf("%-11s %12.0f ± %7.0f %12.0f ± %7.0f %6.2fx%n", kind, p.getMean(), p.getMeanErrorAt(0.999),
                    t.getMean(), t.getMeanErrorAt(0.999), p.getMean() / t.getMean());
        }
    }
}
