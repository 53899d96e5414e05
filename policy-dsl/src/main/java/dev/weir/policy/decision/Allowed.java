package dev.weir.policy.decision;

import dev.weir.policy.field.FieldPlan;

import java.util.List;

/** No deny matched and these allows did; {@code fields} says what of each item the caller sees. */
public record Allowed(List<String> ruleIds, FieldPlan fields) implements Decision {
    public Allowed {
        ruleIds = List.copyOf(ruleIds);
    }
}
