package dev.weir.policy.predicate;

/**
 * A policy condition that has no exact DynamoDB condition form for this request (for
 * example {@code size(item.name) < 10}, whose meaning for strings differs between stores).
 * A caller that needs the store to enforce the condition refuses the request instead.
 */
public class Unexpressible extends RuntimeException {
    public Unexpressible(String message) {
        super(message, null, false, false);
    }
}
