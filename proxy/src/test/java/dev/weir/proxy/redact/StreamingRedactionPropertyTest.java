package dev.weir.proxy.redact;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The streaming redactor and the tree reference agree on every random item, policy and
 * response shape, byte-level shortcuts included (names with dots and escapes, nested maps,
 * sets, lists, whitespace).
 */
class StreamingRedactionPropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NAMES = List.of("id", "ssn", "email", "salary", "address", "tags", "x.y", "q\"uote", "é");
    private final ResponseRedactor redactor = new ResponseRedactor();

    @Property(tries = 1000, seed = "42")
    void streamingEqualsTheTreeReference(@ForAll("plans") FieldPlan plan, @ForAll("items") List<Map<String, AttributeValue>> items,
                                         @ForAll boolean scan, @ForAll boolean pretty, @ForAll boolean filtered) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        Operation op;
        if (scan) {
            op = Operation.Scan;
            body.put("Count", items.size());
            ArrayNode arr = body.putArray("Items");
            for (Map<String, AttributeValue> item : items) arr.add(AttributeValueJson.toJson(item));
            body.put("ScannedCount", items.size());
            if (!items.isEmpty()) body.set("LastEvaluatedKey", AttributeValueJson.toJson(items.getFirst()));
        } else {
            op = Operation.GetItem;
            if (!items.isEmpty()) body.set("Item", AttributeValueJson.toJson(items.getFirst()));
        }
        Statistics.label("plan hides or masks something").collect(!plan.isIdentity());
        Statistics.label("plan hides or masks something").coverage(c -> c.check(true).percentage(p -> p > 40));
        byte[] bytes = pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body) : JSON.writeValueAsBytes(body);
        // A row filter that depends on the item's content: keep items with an even number of attributes.
        java.util.function.Predicate<Map<String, AttributeValue>> rows = filtered ? m -> m.size() % 2 == 0 : null;
        assertEquals(TreeRedactor.redact(op, plan, rows, bytes), JSON.readTree(redactor.redact(op, plan, rows, bytes)));
    }

    @Provide
    Arbitrary<FieldPlan> plans() {
        Arbitrary<String> clause = Arbitraries.oneOf(
                Arbitraries.of("ssn", "email", "address.street", "tags", "salary", "\"x.y\"", "address")
                        .map(p -> "mask " + p + " show_last(2)"),
                Arbitraries.of("ssn", "email", "salary", "address.city", "\"x.y\"").map(p -> "remove " + p),
                Arbitraries.of("email", "salary", "tags").map(p -> "null " + p),
                Arbitraries.of("ssn", "email").map(p -> "mask " + p + " hash"));
        Arbitrary<String> fields = Arbitraries.of("", "fields [id, ssn, email, address.*, tags, salary, \"x.y\", \"q\\\"uote\", é]",
                "fields [id, email]", "fields [id, address.city, \"x\"]", "fields [id, ssn, address]");
        return Combinators.combine(fields, clause.list().ofMaxSize(3)).as((f, cs) -> {
            String text = "role r\n@id(\"p\") allow r on table t op [GetItem, Scan]\n  " + f + "\n  " + String.join("\n  ", cs) + "\n";
            LoadResult result = PolicyLoader.load(List.of(new PolicySource("p.weir", text)));
            if (!result.ok()) return FieldPlan.identity();
            return ((Allowed) result.table().orElseThrow().decide(new DecisionRequest(Set.of("r"), "t", Operation.Scan))).fields();
        });
    }

    @Provide
    Arbitrary<List<Map<String, AttributeValue>>> items() {
        return item().list().ofMaxSize(4);
    }

    private Arbitrary<Map<String, AttributeValue>> item() {
        return Arbitraries.subsetOf(NAMES).flatMap(names -> {
            List<Arbitrary<AttributeValue>> values = new ArrayList<>();
            for (String ignored : names) values.add(value(2));
            return Combinators.combine(values).as(vs -> {
                Map<String, AttributeValue> m = new LinkedHashMap<>();
                int i = 0;
                for (String n : names) m.put(n, vs.get(i++));
                return m;
            });
        });
    }

    private Arbitrary<AttributeValue> value(int depth) {
        Arbitrary<AttributeValue> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(AttributeValue.S::new),
                Arbitraries.integers().map(i -> new AttributeValue.N(Integer.toString(i))),
                Arbitraries.of(true, false).map(AttributeValue.Bool::new),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5).set().ofMinSize(1).ofMaxSize(3)
                        .map(s -> new AttributeValue.SS(new ArrayList<>(s))));
        if (depth == 0) return scalar;
        Arbitrary<AttributeValue> map = Combinators.combine(Arbitraries.of("street", "city", "zip", "a.b"), value(depth - 1))
                .as(Map::entry).list().ofMaxSize(3).map(es -> {
                    Map<String, AttributeValue> m = new LinkedHashMap<>();
                    for (var e : es) m.put(e.getKey(), e.getValue());
                    return new AttributeValue.M(m);
                });
        Arbitrary<AttributeValue> list = value(depth - 1).list().ofMaxSize(3).map(AttributeValue.L::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, scalar), net.jqwik.api.Tuple.of(2, map),
                net.jqwik.api.Tuple.of(1, list));
    }
}
