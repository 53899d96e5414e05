package dev.weir.bench.jmh;

import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Parse, check and compile 10,000 rules (500 roles, some inheriting; 200 tables; field lists,
 * masks, row filters, context conditions and denies), the whole {@code PolicyLoader} path a
 * reload takes. Goal: under 1 s. Run with {@code -prof gc} for the allocation per compile.
 *
 * <pre>java -cp "bench/target/classes:$(cat bench/target/cp.txt)" org.openjdk.jmh.Main PolicyCompileBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class PolicyCompileBenchmark {
    private List<PolicySource> sources;

    @Setup
    public void setup() {
        sources = rules(10_000);
    }

    @Benchmark
    public LoadResult loadTenThousandRules() {
        LoadResult r = PolicyLoader.load(sources);
        if (!r.ok()) throw new IllegalStateException(r.errors().toString());
        return r;
    }

    /** A policy set of {@code count} rules in 10 files, deterministic. */
    static List<PolicySource> rules(int count) {
        Random random = new Random(42);
        int roles = 500, tables = 200;
        StringBuilder head = new StringBuilder("network office = [10.0.0.0/8, 192.168.0.0/16]\n");
        for (int r = 0; r < roles; r++) {
            head.append("role role").append(r);
            if (r > 10 && random.nextInt(5) == 0) head.append(" extends role").append(random.nextInt(r));
            head.append('\n');
        }
        List<PolicySource> out = new ArrayList<>();
        out.add(new PolicySource("roles.weir", head.toString()));
        String[] ops = {"GetItem", "Query", "Scan", "PutItem", "UpdateItem", "read", "write", "DeleteItem"};
        int perFile = count / 10;
        for (int f = 0; f < 10; f++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < perFile; i++) {
                int n = f * perFile + i;
                boolean deny = n % 20 == 0;
                text.append("@id(\"rule-").append(n).append("\")\n");
                text.append(deny ? "deny" : "allow").append(" role").append(random.nextInt(roles))
                        .append(" on table [table").append(random.nextInt(tables)).append(", table").append(random.nextInt(tables))
                        .append("] op [").append(ops[random.nextInt(ops.length)]).append(", ").append(ops[random.nextInt(ops.length)]).append("]\n");
                if (deny) {
                    if (n % 40 == 0) text.append("  when not ctx.source in office\n");
                    else text.append("  rows where item.classified == true\n");
                    continue;
                }
                switch (n % 4) {
                    case 0 -> text.append("  fields [id, name, region, email, address.*]\n  mask email hash\n");
                    case 1 -> text.append("  rows where item.region == principal.region\n  mask ssn show_last(4)\n");
                    case 2 -> text.append("  when principal.level == \"high\" and ctx.time in 07:00..19:00 \"Europe/Berlin\"\n");
                    default -> text.append("  require item.region in principal.regions\n  remove salary\n");
                }
            }
            out.add(new PolicySource("rules" + f + ".weir", text.toString()));
        }
        return out;
    }
}
