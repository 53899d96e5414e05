package dev.weir.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.model.AttributeValue;
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

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cost of parsing a typical UpdateItem's expressions with the protocol's expression parser
 * (ANTLR), which both the store and weir's side-channel checks run on every request that has
 * expressions: its ConditionExpression, its UpdateExpression, and both together with the
 * unused-name check, as a request does. Baseline in the same run: Jackson parsing the same
 * request's JSON body into a tree, the work every request pays anyway.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ExpressionParseBenchmark {
    static final String CONDITION = "attribute_exists(#id) AND #s = :active AND (#n < :max OR begins_with(#r, :prefix))"
            + " AND size(#t) > :zero";
    static final String UPDATE = "SET #n = :name, #a.#c = :city, #v = if_not_exists(#v, :zero) + :one REMOVE #old ADD #t :tag";
    private static final Map<String, String> NAMES = Map.of("#id", "id", "#s", "status", "#n", "name", "#r", "region",
            "#t", "tags", "#a", "address", "#c", "city", "#v", "version", "#old", "legacy");
    private static final Map<String, AttributeValue> VALUES = Map.of(
            ":active", new AttributeValue.S("active"), ":max", new AttributeValue.S("Person 9"),
            ":prefix", new AttributeValue.S("eu"), ":zero", new AttributeValue.N("0"), ":name", new AttributeValue.S("Ada"),
            ":city", new AttributeValue.S("London"), ":one", new AttributeValue.N("1"),
            ":tag", new AttributeValue.SS(List.of("vip")));
    private static final String BODY = """
            {"TableName":"people","Key":{"id":{"S":"p000042"}},
             "ConditionExpression":"%s","UpdateExpression":"%s",
             "ExpressionAttributeNames":{"#id":"id","#s":"status","#n":"name","#r":"region","#t":"tags","#a":"address",
               "#c":"city","#v":"version","#old":"legacy"},
             "ExpressionAttributeValues":{":active":{"S":"active"},":max":{"S":"Person 9"},":prefix":{"S":"eu"},
               ":zero":{"N":"0"},":name":{"S":"Ada"},":city":{"S":"London"},":one":{"N":"1"},":tag":{"SS":["vip"]}}}
            """.formatted(CONDITION, UPDATE);

    private ObjectMapper mapper;
    private byte[] body;

    @Setup
    public void setup() {
        mapper = new ObjectMapper();
        body = BODY.getBytes(StandardCharsets.UTF_8);
        // Fail before measuring if the expressions do not parse (a benchmark of an error path would mislead).
        both();
    }

    @Benchmark
    public Condition condition() {
        return new ExpressionContext(NAMES, VALUES).condition("ConditionExpression", CONDITION);
    }

    @Benchmark
    public Update update() {
        return new ExpressionContext(NAMES, VALUES).update(UPDATE);
    }

    /** Both expressions of the request and the check that every name and value was used. */
    @Benchmark
    public Object both() {
        ExpressionContext context = new ExpressionContext(NAMES, VALUES);
        Condition c = context.condition("ConditionExpression", CONDITION);
        Update u = context.update(UPDATE);
        context.requireAllUsed();
        return new Object[] {c, u};
    }

    /** Baseline: Jackson reading the request body that carries these expressions. */
    @Benchmark
    public JsonNode baselineJacksonParseOfTheRequest() throws Exception {
        return mapper.readTree(body);
    }
}
