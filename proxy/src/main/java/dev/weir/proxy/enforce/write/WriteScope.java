package dev.weir.proxy.enforce.write;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.RowFilter;
import dev.weir.policy.predicate.Residual;
import dev.weir.policy.predicate.Unexpressible;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes stay in scope: the caller's <em>write scope</em> ({@link Allowed#requirements()} of
 * the write's own decision: for each matching allow, its {@code rows where} and its
 * {@code require}, OR-ed, minus the {@code rows where} of the denies that match the write)
 * must hold for the stored item a write changes and for the item it leaves. weir states it as
 * a condition on the stored item ({@link Residual}, exact or refused), which the store checks
 * atomically with the write, so there is no check-then-act race:
 *
 * <ul>
 *   <li>PutItem: {@code <no item stored> OR scope(stored)}; the new item itself is checked
 *       before forwarding ({@link dev.weir.proxy.enforce.flow.WriteGuard}).</li>
 *   <li>UpdateItem: {@code (<no item stored> OR scope(stored)) AND scope(after)}. The update is
 *       analysed here: an attribute the scope reads that the update sets to a value
 *       ({@code SET region = :r}) takes that value, one it does not touch keeps the stored one,
 *       and anything else done to it (REMOVE, ADD, DELETE, a nested path, a value computed from
 *       the item, the legacy AttributeUpdates) is refused (UNENFORCEABLE). An update whose new
 *       item can never be in scope is FORBIDDEN.</li>
 *   <li>DeleteItem: {@code scope(stored)}; a missing item fails it, like a hidden one.</li>
 * </ul>
 */
public final class WriteScope {
    private WriteScope() {}

    /** The scope condition of a Put, Update or Delete part ({@link Residual#TRUE}: any item). */
    public static Residual of(Part part, Allowed allowed, DecisionRequest decision, Refusals refuse) {
        RowFilter scope = allowed.requirements();
        if (scope.isAll()) return Residual.TRUE;
        Residual condition;
        try {
            condition = switch (part.acts()) {
                case PutItem -> Absent.of(part).or(Residual.of(scope, decision));
                case UpdateItem -> update(part, scope, decision, refuse);
                case DeleteItem -> Residual.of(scope, decision, known(key(part)));
                default -> Residual.TRUE;
            };
        } catch (Unexpressible e) {
            throw refuse.cannotState(e.getMessage());
        }
        if (condition.equals(Residual.FALSE)) {
            throw refuse.forbidden("the item does not satisfy the policy's condition on the items the caller may write: " + scope);
        }
        return condition;
    }

    private static Residual update(Part part, RowFilter scope, DecisionRequest decision, Refusals refuse) {
        if (part.expressions().legacy().update() != null) {
            throw refuse.unenforceable("the legacy AttributeUpdates cannot be checked against the policy's requirement; "
                    + "use an UpdateExpression");
        }
        Map<String, AttributeValue> key = key(part);
        Map<String, Optional<AttributeValue>> after = known(key);
        Set<String> read = new HashSet<>();
        for (Path p : scope.itemPaths()) read.add(p.attribute());
        Update update = part.expressions().update();
        if (update != null) {
            for (UpdateAction a : update.expression().actions()) {
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
        Residual before = Absent.of(part).or(Residual.of(scope, decision, known(key)));
        Residual now = Residual.of(scope, decision, after);
        if (now.equals(Residual.FALSE)) {
            throw refuse.forbidden("the updated item would not satisfy the policy's requirement: " + scope);
        }
        return before.and(now);
    }

    static Map<String, AttributeValue> key(Part part) {
        JsonNode key = part.body().get("Key");
        if (key == null || !key.isObject() || key.isEmpty()) throw Refusals.invalid("Key is required");
        return AttributeValueJson.item(key, "Key");
    }

    private static Map<String, Optional<AttributeValue>> known(Map<String, AttributeValue> values) {
        Map<String, Optional<AttributeValue>> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Optional.of(v)));
        return out;
    }
}
