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
import dev.weir.protocol.expr.ast.Operands;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.util.HashSet;
import java.util.LinkedHashSet;
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
 *       item can never be in scope is FORBIDDEN. When the update sets an attribute the scope
 *       reads and {@code scope(after)} still reads stored attributes, it mixes the caller's
 *       values with stored ones (an oracle on them), so it becomes
 *       {@code (<no item stored> AND scope(after)) OR (scope(stored) AND scope(after) AND
 *       <view's rows>)}, the second only when the caller's view shows every attribute
 *       {@code scope(after)} reads in clear.</li>
 *   <li>DeleteItem: {@code scope(stored)}; a missing item fails it, like a hidden one.</li>
 * </ul>
 */
public final class WriteScope {
    private WriteScope() {}

    /** The scope condition of a Put, Update or Delete part ({@link Residual#TRUE}: any item). */
    public static Residual of(Part part, Allowed allowed, DecisionRequest decision, ReadView view, Refusals refuse) {
        RowFilter scope = allowed.requirements();
        if (scope.isAll()) return Residual.TRUE;
        Residual condition;
        try {
            condition = switch (part.acts()) {
                case PutItem -> Absent.of(part).or(Residual.of(scope, decision));
                case UpdateItem -> update(part, scope, decision, view, refuse);
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

    private static Residual update(Part part, RowFilter scope, DecisionRequest decision, ReadView view, Refusals refuse) {
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
        Residual stored = Residual.of(scope, decision, known(key));
        Residual before = Absent.of(part).or(stored);
        Residual now = Residual.of(scope, decision, after);
        if (now.equals(Residual.FALSE)) {
            throw refuse.forbidden("the updated item would not satisfy the policy's requirement: " + scope);
        }
        boolean writesWhatTheScopeReads = after.size() > key.size();
        if (!writesWhatTheScopeReads || !(now instanceof Residual.Tree t)) return before.and(now);
        // The scope of the item the update leaves mixes the caller's new values with stored ones
        // (scope "a == 1 or b == 2", SET b = :v: whether the stored a is 1). Beyond the bit
        // "the stored item is in scope", that is an oracle on the stored values, so it is tested
        // on a stored item only where it tells nothing the caller could not read: a row its view
        // shows, every attribute the test still reads in clear. Otherwise only a new item.
        Set<Path> rest = new LinkedHashSet<>();
        Operands.collectPaths(t.condition(), rest);
        boolean clear = !view.isEmpty();
        for (Path p : rest) clear &= view.canReadInClear(p);
        Residual onStored = clear ? stored.and(now).and(VisibleRows.rows(view, refuse)) : Residual.FALSE;
        return Absent.of(part).and(now).or(onStored);
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
