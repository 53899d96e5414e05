package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.RowFilter;
import dev.weir.policy.predicate.StoreCondition;
import dev.weir.policy.predicate.StoreCondition.Rendered;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the caller's row filter and write requirements into a ConditionExpression the store
 * evaluates on the stored item, atomically with the write, so there is no check-then-act race:
 *
 * <ul>
 *   <li>PutItem: the new item is checked here ({@link Allowed#refusesWrite}); an item it
 *       replaces must satisfy the write filter too:
 *       {@code (attribute_not_exists(a1) AND ... ) OR <filter>} over every attribute of the new
 *       item (the key is among them, so the first part holds exactly when no item is stored).</li>
 *   <li>UpdateItem: the stored item, if any, must satisfy the write filter, and so must the
 *       item the update produces. The update is analysed here: an attribute the filter reads
 *       that the update sets to a value ({@code SET region = :r}) is checked with that value,
 *       one it does not touch is read from the stored item (it keeps its value), and anything
 *       else done to it (REMOVE, ADD, DELETE, a nested path, a value computed from the item)
 *       is refused.</li>
 *   <li>DeleteItem: the stored item must satisfy the write filter (a missing item fails it:
 *       the caller learns nothing about keys it may not see).</li>
 *   <li>ConditionCheck in a transaction: the stored item must pass the caller's row filter.</li>
 * </ul>
 *
 * The write filter is {@link Allowed#requirements()}: for each matching allow, its
 * {@code rows where} and its {@code require}, OR-ed, minus the denies' rows. The generated
 * condition is AND-ed with the client's own; its names and values use the placeholders
 * {@code #weirN} and {@code :weirN}, which a client may therefore not use itself.
 */
final class WriteConditions {
    private WriteConditions() {}

    /**
     * Adds the condition the request needs to its body (the body is changed in place).
     *
     * @return whether the body was changed
     */
    static boolean apply(DecodedRequest req, Allowed allowed, DecisionRequest decision, String principal,
                         boolean conditionCheck) {
        ObjectNode body = req.body();
        RowFilter filter = conditionCheck ? allowed.rows() : allowed.requirements();
        if (filter.isAll()) return false;
        StoreCondition.Placeholders ph = new StoreCondition.Placeholders();
        Rendered condition;
        try {
            condition = switch (req.operation()) {
                case PutItem -> {
                    Map<String, AttributeValue> item = AttributeValueJson.item(body.get("Item"), "Item");
                    Rendered absent = new Rendered.Always(true);
                    for (String name : item.keySet()) {
                        absent = StoreCondition.and(absent, new Rendered.Expression("attribute_not_exists(" + ph.name(name) + ")"));
                    }
                    yield StoreCondition.or(absent, StoreCondition.render(filter, decision, Map.of(), ph));
                }
                case UpdateItem -> update(req, filter, decision, principal, ph);
                case DeleteItem, GetItem -> StoreCondition.render(filter, decision, known(key(body)), ph);
                default -> new Rendered.Always(true);
            };
        } catch (StoreCondition.Unexpressible e) {
            throw denied(principal, req, "the policy's condition cannot be enforced by the store: " + e.getMessage());
        }
        return switch (condition) {
            case Rendered.Always a when a.value() -> false;
            case Rendered.Always a -> throw denied(principal, req, "the item does not satisfy the policy's condition on "
                    + (conditionCheck ? "the rows the caller may see: " : "the items the caller may write: ") + filter);
            case Rendered.Expression e -> {
                merge(req, e, ph, principal);
                yield true;
            }
        };
    }

    private static Rendered update(DecodedRequest req, RowFilter filter, DecisionRequest decision, String principal,
                                   StoreCondition.Placeholders ph) {
        ObjectNode body = req.body();
        if (body.has("AttributeUpdates")) {
            throw denied(principal, req, "the legacy AttributeUpdates cannot be checked against the policy's requirement; "
                    + "use an UpdateExpression");
        }
        Map<String, AttributeValue> key = key(body);
        Map<String, Optional<AttributeValue>> after = known(key);
        Set<String> read = StoreCondition.attributes(filter);
        JsonNode text = body.get("UpdateExpression");
        if (text != null && text.isTextual()) {
            ExpressionContext ctx = new ExpressionContext(AccessCheck.names(body), AccessCheck.values(body));
            for (UpdateAction a : ctx.update(text.textValue()).expression().actions()) {
                Path p = a.path();
                if (!read.contains(p.attribute())) continue;
                if (a instanceof UpdateAction.Set set && p.isTopLevel() && set.value() instanceof Operand.ValueOperand v
                        && !key.containsKey(p.attribute())) {
                    after.put(p.attribute(), Optional.of(v.value()));
                } else {
                    throw denied(principal, req, "the update changes '" + p + "', which the policy's "
                            + "requirement reads, other than by setting it to a value (SET " + p.attribute()
                            + " = :value); weir cannot check the new item");
                }
            }
        }
        Rendered before = StoreCondition.or(new Rendered.Expression("attribute_not_exists(" + ph.name(key.keySet().iterator().next()) + ")"),
                StoreCondition.render(filter, decision, known(key), ph));
        Rendered now = StoreCondition.render(filter, decision, after, ph);
        if (now instanceof Rendered.Always a && !a.value()) {
            throw denied(principal, req, "the updated item would not satisfy the policy's requirement: " + filter);
        }
        return StoreCondition.and(before, now);
    }

    private static Map<String, AttributeValue> key(ObjectNode body) {
        JsonNode key = body.get("Key");
        if (key == null || !key.isObject() || key.isEmpty()) throw DynamoException.validation("Key is required");
        return AttributeValueJson.item(key, "Key");
    }

    private static Map<String, Optional<AttributeValue>> known(Map<String, AttributeValue> values) {
        Map<String, Optional<AttributeValue>> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Optional.of(v)));
        return out;
    }

    /** AND-s the condition into the body and merges its placeholders. */
    private static void merge(DecodedRequest req, Rendered.Expression generated, StoreCondition.Placeholders ph, String principal) {
        ObjectNode body = req.body();
        if (body.has("Expected") || body.has("ConditionalOperator")) {
            throw denied(principal, req, "the legacy Expected cannot be combined with the condition the policy adds; "
                    + "use a ConditionExpression");
        }
        String reserved = reservedPlaceholder(body);
        if (reserved != null) throw DynamoException.validation("the placeholder " + reserved + " is reserved by weir");
        mergeInto(body, "ConditionExpression", generated, ph);
    }

    /** A placeholder of the request's that starts with weir's prefix, or null. */
    static String reservedPlaceholder(ObjectNode body) {
        for (String member : List.of("ExpressionAttributeNames", "ExpressionAttributeValues")) {
            JsonNode n = body.get(member);
            if (n == null || !n.isObject()) continue;
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String p = it.next();
                if (p.length() > 1 && p.substring(1).toLowerCase(java.util.Locale.ROOT).startsWith(StoreCondition.PREFIX)) return p;
            }
        }
        return null;
    }

    /** AND-s a generated expression into {@code member} and merges the placeholders it uses. */
    static void mergeInto(ObjectNode body, String member, Rendered.Expression generated, StoreCondition.Placeholders ph) {
        String condition = generated.text();
        JsonNode own = body.get(member);
        String merged = own != null && own.isTextual() && !own.textValue().isBlank()
                ? StoreCondition.and(own.textValue(), generated) : condition;
        body.put(member, merged);
        // Constants folded away may have left placeholders unused; DynamoDB refuses unused ones.
        ph.names().keySet().removeIf(p -> !uses(condition, p));
        ph.values().keySet().removeIf(p -> !uses(condition, p));
        ObjectNode names = body.has("ExpressionAttributeNames") && body.get("ExpressionAttributeNames").isObject()
                ? (ObjectNode) body.get("ExpressionAttributeNames") : body.putObject("ExpressionAttributeNames");
        ph.names().forEach(names::put);
        if (!ph.values().isEmpty()) {
            ObjectNode values = body.has("ExpressionAttributeValues") && body.get("ExpressionAttributeValues").isObject()
                    ? (ObjectNode) body.get("ExpressionAttributeValues") : body.putObject("ExpressionAttributeValues");
            ph.values().forEach((k, v) -> values.set(k, AttributeValueJson.toJson(v)));
        }
    }

    private static boolean uses(String expression, String placeholder) {
        for (int i = expression.indexOf(placeholder); i >= 0; i = expression.indexOf(placeholder, i + 1)) {
            int end = i + placeholder.length();
            if (end == expression.length() || !Character.isLetterOrDigit(expression.charAt(end))) return true;
        }
        return false;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The body as JSON bytes, to forward in place of the client's. */
    static byte[] bytes(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DynamoException denied(String principal, DecodedRequest req, String because) {
        return new DynamoException(DynamoError.accessDenied("User: " + principal + " is not authorized to perform: dynamodb:"
                + req.operation() + " on resource: table/" + req.policyTable() + " because " + because));
    }

    /** Operations whose parts may carry a generated condition. */
    static final Set<Operation> CONDITIONAL = Set.of(Operation.PutItem, Operation.UpdateItem, Operation.DeleteItem);
}
