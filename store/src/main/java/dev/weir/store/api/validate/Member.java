package dev.weir.store.api.validate;

import java.util.List;

/**
 * One member of a request structure: its name as on the wire, its shape, and its constraints
 * in the order DynamoDB reports their violations.
 */
public record Member(String name, Shape shape, List<Constraint> constraints) {
    public Member {
        constraints = List.copyOf(constraints);
    }

    public static Member of(String name, Shape shape, Constraint... constraints) {
        return new Member(name, shape, List.of(constraints));
    }

    /** The name as DynamoDB writes it in a validation message's path: first letter in lower case. */
    public String pathName() {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
