package dev.weir.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.bench.load.AllScenarios;
import dev.weir.bench.load.PeopleWorkload;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.read.ReadAnswer;
import dev.weir.proxy.enforce.read.ReadView;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What weir does with the store's answer to a GetItem for a caller whose view is restricted:
 * the load's people (the store's answers to the load's GetItem, {@code {"Item":{...}}} of about
 * 480 bytes and 11 members) through the bench's demo view ({@link AllScenarios#DEMO_POLICY}, a
 * principal of region eu: the rows of its region, the fields the rule lists, ssn
 * show_last(4), email hashed, address without its street), written as the caller's answer.
 * Two ways in one run: on the answer's bytes ({@link ReadAnswer#showGetItem}: scanned as a page
 * of one item, shown by the pages' {@code ShowPlan}) and through the item model as before
 * ({@link ReadAnswer#showGetItemDecoded}: Jackson's streaming parser into attribute values, the
 * view applied to the model, written again). Each over two sets of answers: people of region
 * eu, all shown ({@code shown*}), and the load's mix, a random person of four regions, three in
 * four hidden by the row filter ({@code mix*}). One operation is one answer (the next of
 * {@value #ANSWERS}, in turn).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class GetItemFilterBenchmark {
    static final int ANSWERS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    byte[][] shown;
    byte[][] mix;
    ReadAnswer.Shape shape;
    int next;

    @Setup
    public void setup() throws Exception {
        PeopleWorkload people = new PeopleWorkload(JSON, 4_000);
        shown = new byte[ANSWERS][];
        mix = new byte[ANSWERS][];
        java.util.SplittableRandom r = new java.util.SplittableRandom(16);
        for (int i = 0, eu = 0; i < ANSWERS; i++) {
            while (!people.person(eu).get("region").get("S").asText().equals("eu")) eu++;
            shown[i] = answer(people.person(eu++));
            mix[i] = answer(people.person(r.nextInt(people.items())));
        }
        var table = PolicyLoader.load(List.of(new PolicySource("demo.weir", AllScenarios.DEMO_POLICY))).table().orElseThrow();
        DecisionRequest request = new DecisionRequest("bench", Set.of("bench"), Map.of("region", List.of("eu")), "people",
                Operation.GetItem, Context.of(InetAddress.getLoopbackAddress(), Instant.now()));
        shape = new ReadAnswer.Shape(ReadView.of(table.decide(request), request), null);
        for (byte[][] set : List.of(shown, mix)) {
            for (byte[] answer : set) {
                byte[] bytes = ReadAnswer.showGetItem(answer, shape).body();
                byte[] decoded = ReadAnswer.showGetItemDecoded(answer, shape).body();
                if (!Arrays.equals(bytes, decoded)) {
                    throw new IllegalStateException("the two paths differ on " + new String(answer, StandardCharsets.UTF_8));
                }
            }
        }
        System.out.println("answer bytes: " + shown[0].length + ", caller's answer: "
                + new String(ReadAnswer.showGetItem(shown[0], shape).body(), StandardCharsets.UTF_8));
    }

    private static byte[] answer(ObjectNode item) throws Exception {
        ObjectNode answer = JSON.createObjectNode();
        answer.set("Item", item);
        return JSON.writeValueAsBytes(answer);
    }

    private byte[] nextOf(byte[][] set) {
        byte[] answer = set[next];
        next = (next + 1) & (ANSWERS - 1);
        return answer;
    }

    /** A shown person, on the answer's bytes. */
    @Benchmark
    public ReadAnswer.ShownBytes shownOnBytes() throws Exception {
        return ReadAnswer.showGetItem(nextOf(shown), shape);
    }

    /** A shown person, through the item model (the code before). */
    @Benchmark
    public ReadAnswer.ShownBytes shownDecoded() throws Exception {
        return ReadAnswer.showGetItemDecoded(nextOf(shown), shape);
    }

    /** The load's mix (three in four hidden), on the answer's bytes. */
    @Benchmark
    public ReadAnswer.ShownBytes mixOnBytes() throws Exception {
        return ReadAnswer.showGetItem(nextOf(mix), shape);
    }

    /** The load's mix, through the item model (the code before). */
    @Benchmark
    public ReadAnswer.ShownBytes mixDecoded() throws Exception {
        return ReadAnswer.showGetItemDecoded(nextOf(mix), shape);
    }
}
