package dev.weir.policy.decision;

import dev.weir.protocol.model.Operation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What is asked: principal {@code principal}, holding {@code roles} and {@code attributes},
 * wants to run {@code operation} on {@code table}, in {@code context}. Roles the policy does
 * not declare are ignored (only {@code *} rules can match them).
 *
 * @param principal  the principal's name ({@code principal.name}, also {@code principal.id}), or null
 * @param attributes the principal's attributes ({@code principal.x}): each a list of strings; a
 *                   one-element list is a plain value. {@code principal.roles} is {@code roles}.
 * @param table      the table, or {@code "*"} for operations that name none (ListTables)
 */
public record DecisionRequest(String principal, Set<String> roles, Map<String, List<String>> attributes,
                              String table, Operation operation, Context context) {
    public DecisionRequest {
        roles = Set.copyOf(roles);   // an immutable set (a principal's) is kept as it is
        attributes = immutableAttributes(attributes);
        if (table == null || operation == null) throw new NullPointerException("table and operation are required");
        Objects.requireNonNull(context, "context (use Context.NONE)");
    }

    /**
     * {@code attributes} as an immutable map of immutable lists: the map itself when it is one
     * already, as a principal's is (every request's decision is asked with it, once per table and
     * again as a read: copying it each time was a twelfth of what a request allocated on the event
     * loop, issue 16); otherwise a copy.
     */
    public static Map<String, List<String>> immutableAttributes(Map<String, List<String>> attributes) {
        Map<String, List<String>> map = Map.copyOf(attributes);   // itself when immutable
        if (map == attributes) {
            boolean listsImmutable = true;
            for (List<String> v : map.values()) {
                if (List.copyOf(v) != v) {   // itself when immutable
                    listsImmutable = false;
                    break;
                }
            }
            if (listsImmutable) return map;
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        attributes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Map.copyOf(copy);
    }

    /** No principal name, no attributes, no context: only rules without conditions on them can match. */
    public DecisionRequest(Set<String> roles, String table, Operation operation) {
        this(null, roles, Map.of(), table, operation, Context.NONE);
    }

    /** Single-valued attributes ({@code region: eu}) as the one-element lists this record holds. */
    public static Map<String, List<String>> singleValued(Map<String, String> attributes) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> out.put(k, List.of(v)));
        return out;
    }

    /** The same request with another context. */
    public DecisionRequest withContext(Context other) {
        return new DecisionRequest(principal, roles, attributes, table, operation, other);
    }
}
