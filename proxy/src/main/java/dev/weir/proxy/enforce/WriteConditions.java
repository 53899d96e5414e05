package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.RowFilter;
import dev.weir.policy.predicate.StoreCondition;
import dev.weir.policy.predicate.StoreCondition.Rendered;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.Expressions;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.LinkedHashMap;
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
 * condition is a {@link Conjunct} the forwarded body AND-s with the client's own
 * ({@link ForwardBody}); its names and values use the placeholders {@code #weirN} and
 * {@code :weirN}, which a client may therefore not use itself. A write that no longer
 * satisfies the filter is FORBIDDEN; a filter or an update weir cannot state for the store
 * is UNENFORCEABLE.
 */
final class WriteConditions {
    private WriteConditions() {}

    /** Operations whose parts may carry a generated condition. */
    static final Set<Operation> CONDITIONAL = Set.of(Operation.PutItem, Operation.UpdateItem, Operation.DeleteItem);

    /**
     * The condition the part needs, or null when it needs none (the caller may write every row).
     *
     * @param conditionCheck a transaction's ConditionCheck: the stored item must pass the caller's row filter
     */
    static Conjunct condition(Part part, Allowed allowed, DecisionRequest decision, Refusals refuse, boolean conditionCheck) {
        RowFilter filter = conditionCheck ? allowed.rows() : allowed.requirements();
        if (filter.isAll()) return null;
        StoreCondition.Placeholders ph = new StoreCondition.Placeholders();
        Rendered condition;
        try {
            condition = switch (part.acts()) {
                case PutItem -> {
                    Map<String, AttributeValue> item = AttributeValueJson.item(part.body().get("Item"), "Item");
                    Rendered absent = new Rendered.Always(true);
                    for (String name : item.keySet()) {
                        absent = StoreCondition.and(absent, new Rendered.Expression("attribute_not_exists(" + ph.name(name) + ")"));
                    }
                    yield StoreCondition.or(absent, StoreCondition.render(filter, decision, Map.of(), ph));
                }
                case UpdateItem -> update(part, filter, decision, refuse, ph);
                case DeleteItem, GetItem -> StoreCondition.render(filter, decision, known(key(part)), ph);
                default -> new Rendered.Always(true);
            };
        } catch (StoreCondition.Unexpressible e) {
            throw refuse.cannotState(e.getMessage());
        }
        return switch (condition) {
            case Rendered.Always a when a.value() -> null;
            case Rendered.Always a -> throw refuse.forbidden("the item does not satisfy the policy's condition on "
                    + (conditionCheck ? "the rows the caller may see: " : "the items the caller may write: ") + filter);
            case Rendered.Expression e -> {
                if (part.body().has("Expected") || part.body().has("ConditionalOperator")) {
                    throw refuse.unenforceable("the legacy Expected cannot be combined with the condition the policy adds; "
                            + "use a ConditionExpression");
                }
                String reserved = reservedPlaceholder(part.expressions());
                if (reserved != null) throw Refusals.invalid("the placeholder " + reserved + " is reserved by weir");
                yield Conjunct.of(e, ph);
            }
        };
    }

    private static Rendered update(Part part, RowFilter filter, DecisionRequest decision, Refusals refuse,
                                   StoreCondition.Placeholders ph) {
        if (part.expressions().legacy().update() != null) {
            throw refuse.unenforceable("the legacy AttributeUpdates cannot be checked against the policy's requirement; "
                    + "use an UpdateExpression");
        }
        Map<String, AttributeValue> key = key(part);
        Map<String, Optional<AttributeValue>> after = known(key);
        Set<String> read = StoreCondition.attributes(filter);
        if (part.expressions().update() != null) {
            for (UpdateAction a : part.expressions().update().expression().actions()) {
                Path p = a.path();
                if (!read.contains(p.attribute())) continue;
                if (a instanceof UpdateAction.Set set && p.isTopLevel() && set.value() instanceof Operand.ValueOperand v
                        && !key.containsKey(p.attribute())) {
                    after.put(p.attribute(), Optional.of(v.value()));
                } else {
                    throw refuse.unenforceable("the update changes '" + p + "', which the policy's "
                            + "requirement reads, other than by setting it to a value (SET " + p.attribute()
                            + " = :value); weir cannot check the new item");
                }
            }
        }
        Rendered before = StoreCondition.or(new Rendered.Expression("attribute_not_exists(" + ph.name(key.keySet().iterator().next()) + ")"),
                StoreCondition.render(filter, decision, known(key), ph));
        Rendered now = StoreCondition.render(filter, decision, after, ph);
        if (now instanceof Rendered.Always a && !a.value()) {
            throw refuse.forbidden("the updated item would not satisfy the policy's requirement: " + filter);
        }
        return StoreCondition.and(before, now);
    }

    private static Map<String, AttributeValue> key(Part part) {
        JsonNode key = part.body().get("Key");
        if (key == null || !key.isObject() || key.isEmpty()) throw Refusals.invalid("Key is required");
        return AttributeValueJson.item(key, "Key");
    }

    private static Map<String, Optional<AttributeValue>> known(Map<String, AttributeValue> values) {
        Map<String, Optional<AttributeValue>> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Optional.of(v)));
        return out;
    }

    /** A placeholder of the request's that starts with weir's prefix, or null. */
    static String reservedPlaceholder(Expressions e) {
        for (Set<String> placeholders : java.util.List.of(e.names().keySet(), e.values().keySet())) {
            for (String p : placeholders) {
                if (p.length() > 1 && p.substring(1).toLowerCase(java.util.Locale.ROOT).startsWith(StoreCondition.PREFIX)) return p;
            }
        }
        return null;
    }
}
