package dev.weir.policy.decision;

import dev.weir.protocol.model.Operation;

import java.util.Set;

/**
 * What is asked: a principal holding {@code roles} wants to run {@code operation} on
 * {@code table}. Roles the policy does not declare are ignored (only {@code *} rules can
 * match them).
 */
public record DecisionRequest(Set<String> roles, String table, Operation operation) {
    public DecisionRequest {
        roles = Set.copyOf(roles);
        if (table == null || operation == null) throw new NullPointerException("table and operation are required");
    }
}
