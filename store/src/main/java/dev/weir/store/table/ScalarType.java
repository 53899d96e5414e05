package dev.weir.store.table;

import dev.weir.protocol.model.AttributeValue;

/** The types a key attribute can have. */
public enum ScalarType {
    S, N, B;

    /** The scalar type of a value, or null if the value is not a scalar key type. */
    public static ScalarType of(AttributeValue value) {
        return switch (value) {
            case AttributeValue.S ignored -> S;
            case AttributeValue.N ignored -> N;
            case AttributeValue.B ignored -> B;
            default -> null;
        };
    }

    public static ScalarType byName(String name) {
        for (ScalarType t : values()) if (t.name().equals(name)) return t;
        return null;
    }
}
