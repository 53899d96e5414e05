package dev.weir.protocol.expr.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.Projections;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.expr.eval.ConditionEvaluator;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * DynamoDB's legacy (pre-expression) parameters of one request, translated into the expression
 * engine's own objects, so that they are evaluated, and analysed for the paths they touch, by
 * exactly the code of their expression twins. Validation follows DynamoDB's, messages included.
 * Each method returns null when the request does not have the parameter.
 *
 * <pre>{@code
 * Legacy.checkNotMixed(Operation.Scan, request);       // "Can not use both expression and ..."
 * LegacyRequest legacy = Legacy.translate(Operation.Scan, request);
 * legacy.filter().paths();                              // what ScanFilter tests
 * }</pre>
 *
 * Not thread-safe: one per request.
 */
public final class Legacy {
    private final JsonNode request;
    private final ValueReader reader;
    private final Placeholders placeholders = new Placeholders();

    private Legacy(JsonNode request, ValueReader reader) {
        this.request = request;
        this.reader = reader;
    }

    /** The legacy parameters of {@code request} (a request body, or one table's entry of BatchGetItem's RequestItems). */
    public static Legacy of(JsonNode request) {
        return of(request, ValueReader.PLAIN);
    }

    /** As {@link #of(JsonNode)}, reading values with {@code reader} (the store checks them as stored values). */
    public static Legacy of(JsonNode request, ValueReader reader) {
        return new Legacy(request, reader);
    }

    /**
     * Refuses a request that mixes the expression and the legacy parameters of {@code op}:
     * {@code Can not use both expression and non-expression parameters in the same request: ...}.
     */
    public static void checkNotMixed(Operation op, JsonNode request) {
        ParameterMixing.check(op, request);
    }

    /** The legacy parameters {@code op} takes, by their exact member names (empty for other operations). */
    public static List<String> parameters(Operation op) {
        return ParameterMixing.of(op).legacy();
    }

    /** Checks mixing and translates every legacy parameter {@code op} takes. */
    public static LegacyRequest translate(Operation op, JsonNode request) {
        return translate(op, request, ValueReader.PLAIN);
    }

    /** As {@link #translate(Operation, JsonNode)}, reading values with {@code reader}. */
    public static LegacyRequest translate(Operation op, JsonNode request, ValueReader reader) {
        if (!ParameterMixing.anyLegacy(op, request)) return LegacyRequest.EMPTY; // nothing to translate, nothing mixed
        checkNotMixed(op, request);
        Legacy legacy = of(request, reader);
        return switch (op) {
            case GetItem, BatchGetItem -> new LegacyRequest(legacy.attributesToGet(), null, null, null, null);
            case Query -> new LegacyRequest(legacy.attributesToGet(), legacy.keyConditions(), legacy.queryFilter(), null, null);
            case Scan -> new LegacyRequest(legacy.attributesToGet(), null, legacy.scanFilter(), null, null);
            case PutItem, DeleteItem -> new LegacyRequest(null, null, null, legacy.expected(), null);
            case UpdateItem -> {
                Update update = legacy.attributeUpdates();
                yield new LegacyRequest(null, null, null, legacy.expected(), update);
            }
            default -> LegacyRequest.EMPTY;
        };
    }

    /** AttributesToGet as a projection of top-level attributes; {@code attributesToGet} is its path in messages. */
    public Projection attributesToGet() {
        return attributesToGet("attributesToGet");
    }

    /** AttributesToGet, naming it {@code memberPath} in messages (BatchGetItem: {@code requestItems.T.member.attributesToGet}). */
    public Projection attributesToGet(String memberPath) {
        JsonNode list = Members.array(request, "AttributesToGet");
        if (list == null) return null;
        if (list.isEmpty()) throw Members.constraint("'[]'", memberPath, "Member must have length greater than or equal to 1");
        List<Path> paths = new ArrayList<>(list.size());
        Set<String> seen = new HashSet<>();
        for (JsonNode n : list) {
            if (!n.isTextual()) throw Members.wrongType(n, "String");
            String name = n.textValue();
            if (!seen.add(name)) throw Members.invalid("Duplicate value in attribute name: " + name);
            paths.add(Path.of(name));
        }
        return Projections.of(paths);
    }

    /** KeyConditions as a key condition, for {@link dev.weir.protocol.expr.KeyConditions#analyze}. */
    public Condition keyConditions() {
        JsonNode map = Members.object(request, "KeyConditions");
        if (map == null) return null;
        ConditionTranslator.checkKeyConditions(map);
        return condition(ConditionTranslator.join(translator().conditions(map, "KeyConditions"), "AND"));
    }

    /** QueryFilter joined by ConditionalOperator, as a filter. */
    public Condition queryFilter() {
        return filter("QueryFilter");
    }

    /** ScanFilter joined by ConditionalOperator, as a filter. */
    public Condition scanFilter() {
        return filter("ScanFilter");
    }

    /** Expected joined by ConditionalOperator, as a condition. */
    public Condition expected() {
        String operator = conditionalOperator();
        JsonNode map = Members.object(request, "Expected");
        if (map == null) return null;
        return condition(ConditionTranslator.join(translator().expected(map), operator));
    }

    /** AttributeUpdates as an update. */
    public Update attributeUpdates() {
        JsonNode map = Members.object(request, "AttributeUpdates");
        if (map == null) return null;
        UpdateExpr expr = new UpdateTranslator(reader, placeholders).translate(map);
        return new LegacyUpdate(expr);
    }

    /** ConditionalOperator (AND or OR), checked; null when absent. */
    public String conditionalOperator() {
        return Members.oneOf(request, "ConditionalOperator", "conditionalOperator", ConditionTranslator.CONDITIONAL_OPERATORS);
    }

    private Condition filter(String member) {
        String operator = conditionalOperator();
        JsonNode map = Members.object(request, member);
        if (map == null) return null;
        return condition(ConditionTranslator.join(translator().conditions(map, member), operator));
    }

    private ConditionTranslator translator() {
        return new ConditionTranslator(reader, placeholders);
    }

    private static Condition condition(ConditionExpr expr) {
        return expr == null ? null : new ConditionEvaluator(expr);
    }
}
