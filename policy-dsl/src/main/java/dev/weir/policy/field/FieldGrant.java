package dev.weir.policy.field;

import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.FieldPath;

import java.util.List;
import java.util.Optional;

/**
 * What one matching allow rule contributes to a field plan.
 *
 * @param fields  the rule's allow-list, or empty when the rule has no {@code fields} clause
 *                (every field allowed)
 * @param actions the rule's {@code mask}, {@code remove} and {@code null} clauses
 */
public record FieldGrant(Optional<List<FieldPath>> fields, List<Clause.Action> actions) {
    public FieldGrant {
        fields = fields.map(List::copyOf);
        actions = List.copyOf(actions);
    }
}
