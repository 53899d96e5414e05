package dev.weir.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.bench.load.PeopleWorkload;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;
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
 * <p>{@code main} runs both and prints the ratio per kind ({@code parse / readTree}); through
 * {@code ./weir bench jmh RequestParse} JMH prints the two series and the ratio is left to the
 * reader.
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

    /** Runs the benchmark (JMH's command-line options apply) and prints parse / readTree per kind. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args.length == 0
                ? new String[] {RequestParseBenchmark.class.getSimpleName()} : args);
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Statistics> parse = new TreeMap<>();
        Map<String, Statistics> tree = new TreeMap<>();
        for (RunResult r : results) {
            String kind = r.getParams().getParam("kind");
            String method = r.getParams().getBenchmark();
            Statistics s = r.getPrimaryResult().getStatistics();
            (method.endsWith(".parse") ? parse : tree).put(kind, s);
        }
        System.out.printf("%n%-11s %22s %22s %7s%n", "kind", "parse ns/op (±99.9%)", "readTree ns/op", "ratio");
        for (String kind : parse.keySet()) {
            Statistics p = parse.get(kind);
            Statistics t = tree.get(kind);
            if (t == null) continue;
            System.out.printf("%-11s %12.0f ± %7.0f %12.0f ± %7.0f %6.1fx%n", kind, p.getMean(), p.getMeanErrorAt(0.999),
                    t.getMean(), t.getMeanErrorAt(0.999), p.getMean() / t.getMean());
        }
    }
}
