package dev.weir.bench.jmh;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.bench.load.AllScenarios;
import dev.weir.bench.load.PeopleWorkload;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.read.Pager;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.read.StorePage;
import dev.weir.proxy.enforce.read.StoreRead;
import dev.weir.proxy.upstream.UpstreamResponse;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What weir does with one store page of a Scan for a caller whose view is restricted (the demo
 * analyst: ssn show_last(4), email hashed, salary and address.street removed, only the eu
 * rows): the store's answer of {@value #ITEMS} people (about 1 MB) read
 * ({@link StoreRead#parse}: scanned at the byte level), each item admitted or skipped and shown
 * through the {@link ReadView} by the {@link Pager} (decoding only what the view needs, copying
 * shown members as bytes), and the caller's page written; against two baselines
 * in the same run: a Jackson parse-and-copy through a tree, and a Jackson streaming token copy
 * (parser to generator, the least Jackson can do with the bytes); and against the same read
 * with the store's page decoded into the item model (before the byte-level filter) and read
 * through a tree (before issue 16). One operation is one store
 * page: MB/s per core = ops/s × page size (printed by {@link #setup}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class PagedReadBenchmark {
    static final int ITEMS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    byte[] page;
    ReadView analyst;

    @Setup
    public void setup() throws Exception {
        Random r = new Random(7);
        ObjectNode body = JSON.createObjectNode();
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
        body.put("Count", ITEMS);
        body.put("ScannedCount", ITEMS);
        page = JSON.writeValueAsBytes(body);
        var table = PolicyLoader.load(List.of(new PolicySource("bench.weir", """
                role analyst
                @id("read") allow analyst on table people op [Scan]
                  rows where item.region == principal.region
                  mask ssn show_last(4)
                  mask email hash
                  remove salary
                  remove address.street
                """))).table().orElseThrow();
        DecisionRequest request = new DecisionRequest("ada", Set.of("analyst"), Map.of("region", List.of("eu")), "people",
                Operation.Scan, Context.NONE);
        analyst = ReadView.of(table.decide(request), request);
        System.out.println("page bytes: " + page.length + ", caller's page bytes: " + weirPagedRead().length);
        demoSetup();
    }

    /** The load's Scan page as weir gets it from the store under the demo policy (see {@link #weirPagedReadDemo}). */
    byte[] demoPage;
    ReadView demoAnalyst;

    private void demoSetup() throws Exception {
        PeopleWorkload people = new PeopleWorkload(JSON, 4_000);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("Items");
        long scannedBytes = 0;
        int scanned = 0;
        for (int i = 0; i < people.items() && scannedBytes < 1024 * 1024; i++, scanned++) {
            ObjectNode person = people.person(i);
            scannedBytes += JSON.writeValueAsBytes(person).length;
            if (person.get("region").get("S").asText().equals("eu")) items.add(person);
        }
        body.put("Count", items.size());
        body.put("ScannedCount", scanned);
        // no LastEvaluatedKey: one operation is this store page alone (the Pager would read on)
        demoPage = JSON.writeValueAsBytes(body);
        var table = PolicyLoader.load(List.of(new PolicySource("demo.weir", AllScenarios.DEMO_POLICY))).table().orElseThrow();
        DecisionRequest request = new DecisionRequest("bench", Set.of("bench"), Map.of("region", List.of("eu")), "people",
                Operation.Scan, Context.of(InetAddress.getLoopbackAddress(), Instant.now()));
        demoAnalyst = ReadView.of(table.decide(request), request);
        byte[] shown = weirPagedReadDemo();
        System.out.println("demo store page bytes: " + demoPage.length + " (" + items.size() + " of " + scanned
                + " items), caller's page bytes: " + shown.length);
    }

    /**
     * The load's line-rate Scan ({@code ScanPage}) as weir pages it under the benchmark's demo
     * policy ({@link AllScenarios#DEMO_POLICY}): the store's 1 MB page of the load's people with
     * the row filter pushed down (the region {@code eu} rows of it, about a quarter), made into
     * the caller's page (ssn show_last(4), email hashed, address without its street, the
     * fields the rule lists). One operation is one store page.
     */
    @Benchmark
    public byte[] weirPagedReadDemo() {
        return paged(demoAnalyst, StoreRead.parse(new UpstreamResponse(200, null, demoPage)));
    }

    /** The same through the item model ({@link StoreRead#parseDecoded}). */
    @Benchmark
    public byte[] weirPagedReadDemoDecoded() {
        return paged(demoAnalyst, StoreRead.parseDecoded(new UpstreamResponse(200, null, demoPage)));
    }

    @Benchmark
    public byte[] weirPagedRead() {
        return paged(StoreRead.parse(new UpstreamResponse(200, null, page)));
    }

    /**
     * The same, the store's page decoded into the item model in one pass
     * ({@link StoreRead#parseDecoded}), as before the byte-level filter: every item decoded,
     * judged and shown through the view as maps, and written again.
     */
    @Benchmark
    public byte[] weirPagedReadDecoded() {
        return paged(StoreRead.parseDecoded(new UpstreamResponse(200, null, page)));
    }

    /** The same, the store's page read through a JSON tree as before issue 16 ({@link StoreRead#parseTree}). */
    @Benchmark
    public byte[] weirPagedReadTreeParse() {
        return paged(StoreRead.parseTree(new UpstreamResponse(200, null, page)));
    }

    private byte[] paged(StorePage stored) {
        return paged(analyst, stored);
    }

    private static byte[] paged(ReadView analyst, StorePage stored) {
        return Pager.builder(analyst, List.of("id"), (start, limit) -> CompletableFuture.completedFuture(stored))
                .deadline(System.nanoTime() + 60_000_000_000L).build().run().join().toBytes();
    }

    @Benchmark
    public byte[] baselineJacksonParseAndCopy() throws Exception {
        return JSON.writeValueAsBytes(JSON.readTree(page));
    }

    /**
     * The cheapest Jackson doing the same work: every token of the page read by a parser and
     * written by a generator, no tree, no values kept.
     */
    @Benchmark
    public byte[] baselineJacksonStreamingCopy() throws Exception {
        ByteArrayBuilder out = new ByteArrayBuilder(page.length);
        try (JsonParser p = JSON.getFactory().createParser(page); JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            while (p.nextToken() != null) g.copyCurrentEvent(p);
        }
        return out.toByteArray();
    }
}
