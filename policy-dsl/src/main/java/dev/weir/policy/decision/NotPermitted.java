package dev.weir.policy.decision;

import java.util.List;

/** No rule allowed the request (and none denied it): the default. */
public record NotPermitted() implements Decision {
    public static final NotPermitted INSTANCE = new NotPermitted();

    public List<String> ruleIds() {
        return List.of();
    }
}
