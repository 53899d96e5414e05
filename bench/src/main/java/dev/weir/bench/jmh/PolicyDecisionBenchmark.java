package dev.weir.bench.jmh;

import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.decision.TlsIdentity;
import dev.weir.protocol.model.Operation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A decision from the compiled table: the sample policy's cells, one without conditions
 * (analyst GetItem: two array reads) and one with context conditions (analyst Query: the
 * source-address and Berlin time-window checks of people-analyst-bulk-hours), and a lookup in
 * a 10,000-rule table. Run with {@code -prof gc} for B/op; the goal is tens of ns and 0 B/op.
 *
 * <pre>java -cp "bench/target/classes:$(cat bench/target/cp.txt)" org.openjdk.jmh.Main PolicyDecisionBenchmark -prof gc</pre>
 * (cp.txt from {@code mvn -pl bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyDecisionBenchmark {
    private DecisionTable sample;
    private DecisionTable large;
    private DecisionRequest unconditional;
    private DecisionRequest conditional;
    private DecisionRequest largeRequest;

    @Setup
    public void setup() throws Exception {
        Path conf = Path.of(System.getProperty("weir.policies", "conf/policies"));
        String text = Files.isDirectory(conf) ? Files.readString(conf.resolve("people.weir")) : FALLBACK;
        sample = load(List.of(new PolicySource("people.weir", text)));
        Context ctx = new Context(InetAddress.ofLiteral("10.1.2.3"), Instant.parse("2025-01-06T09:00:00Z"),
                TlsIdentity.of("CN=ada,OU=batch", List.of()), Map.of());
        unconditional = new DecisionRequest("ada", Set.of("analyst"), Map.of("region", List.of("eu")), "people",
                Operation.GetItem, ctx);
        conditional = new DecisionRequest("ada", Set.of("analyst"), Map.of("region", List.of("eu")), "people",
                Operation.Query, ctx);
        large = load(PolicyCompileBenchmark.rules(10_000));
        // a populated cell: the first (role, table) whose Query some allow grants
        search:
        for (int r = 0; r < 500; r++) {
            for (int t = 0; t < 200; t++) {
                DecisionRequest q = new DecisionRequest("p", Set.of("role" + r), Map.of("level", List.of("high")),
                        "table" + t, Operation.Query, ctx);
                if (large.decide(q) instanceof dev.weir.policy.decision.Allowed) {
                    largeRequest = q;
                    break search;
                }
            }
        }
        if (largeRequest == null) throw new IllegalStateException("no allowed cell in the generated policy");
    }

    private static DecisionTable load(List<PolicySource> sources) {
        LoadResult r = PolicyLoader.load(sources);
        if (!r.ok()) throw new IllegalStateException(r.errors().toString());
        return r.table().orElseThrow();
    }

    @Benchmark
    public Decision unconditionalCell() {
        return sample.decide(unconditional);
    }

    @Benchmark
    public Decision cellWithContextConditions() {
        return sample.decide(conditional);
    }

    @Benchmark
    public Decision tenThousandRuleTable() {
        return large.decide(largeRequest);
    }

    static final String FALLBACK = """
            role analyst
            network office = [10.0.0.0/8, 127.0.0.0/8]
            @id("read") allow analyst on table people op [GetItem, Query] fields [id, ssn] mask ssn show_last(4)
            @id("hours") deny analyst on table people op [Query]
              when not (ctx.source in office and ctx.time in 07:00..19:00 "Europe/Berlin")
            """;
}
