package dev.weir.policy.decision;

import java.util.List;

/**
 * These denies matched. {@code reason} is the {@code reason} text of the first of them (by
 * id) that has one, or {@code "denied by rule <id>"} of the first when none has.
 */
public record Forbidden(List<String> ruleIds, String reason) implements Decision {
    public Forbidden {
        ruleIds = List.copyOf(ruleIds);
    }
}
