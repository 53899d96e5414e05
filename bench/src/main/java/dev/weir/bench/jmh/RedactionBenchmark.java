package dev.weir.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.redact.ResponseRedactor;
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

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Masking a Scan page of {@value #ITEMS} people (about 1 MB) with the demo analyst's plan
 * (ssn show_last(4), email hashed, salary and address.street removed), against the baseline
 * of a plain Jackson parse-and-copy of the same bytes, in the same run. One operation is one
 * page: MB/s per core = ops/s × page size (printed by {@link #setup}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RedactionBenchmark {
    static final int ITEMS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    byte[] page;
    FieldPlan analyst;
    ResponseRedactor redactor;

    @Setup
    public void setup() throws Exception {
        Random r = new Random(7);
        ObjectNode body = JSON.createObjectNode();
        body.put("Count", ITEMS);
        ArrayNode items = body.putArray("Items");
        for (int i = 0; i < ITEMS; i++) {
            ObjectNode it = items.addObject();
            it.putObject("id").put("S", "p-" + i);
            it.putObject("name").put("S", "Person " + r.nextInt(1_000_000));
            it.putObject("email").put("S", "person" + i + "@example.com");
            it.putObject("ssn").put("S", String.format("%03d-%02d-%04d", r.nextInt(1000), r.nextInt(100), r.nextInt(10000)));
            it.putObject("salary").put("N", Integer.toString(30_000 + r.nextInt(150_000)));
            it.putObject("region").put("S", i % 2 == 0 ? "eu" : "us");
            ObjectNode addr = it.putObject("address").putObject("M");
            addr.putObject("street").put("S", r.nextInt(200) + " Long Street Name");
            addr.putObject("city").put("S", "City " + r.nextInt(100));
            addr.putObject("zip").put("S", Integer.toString(10_000 + r.nextInt(80_000)));
            ArrayNode tags = it.putObject("tags").putArray("SS");
            tags.add("customer").add("tier-" + r.nextInt(3));
            it.putObject("notes").put("S", "x".repeat(700 + r.nextInt(200)));
        }
        body.put("ScannedCount", ITEMS);
        page = JSON.writeValueAsBytes(body);
        var table = PolicyLoader.load(List.of(new PolicySource("bench.weir", """
                role analyst
                @id("read") allow analyst on table people op [Scan]
                  mask ssn show_last(4)
                  mask email hash
                  remove salary
                  remove address.street
                """))).table().orElseThrow();
        analyst = ((Allowed) table.decide(new DecisionRequest(Set.of("analyst"), "people", Operation.Scan))).fields();
        redactor = new ResponseRedactor();
        System.out.println("page bytes: " + page.length);
    }

    @Benchmark
    public byte[] weirStreamingRedact() throws Exception {
        return redactor.redact(Operation.Scan, analyst, page);
    }

    @Benchmark
    public byte[] baselineJacksonParseAndCopy() throws Exception {
        return JSON.writeValueAsBytes(JSON.readTree(page));
    }
}
