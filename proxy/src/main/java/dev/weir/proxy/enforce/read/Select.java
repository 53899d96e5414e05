package dev.weir.proxy.enforce.read;

import dev.weir.protocol.error.DynamoException;

/** What a Query or Scan returns of each matching item (its {@code Select} member). */
public enum Select {
    ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, SPECIFIC_ATTRIBUTES, COUNT;

    /**
     * The request's Select: {@code text} when given, else {@link #SPECIFIC_ATTRIBUTES} when it
     * has a projection (ProjectionExpression or AttributesToGet) and {@link #ALL_ATTRIBUTES}
     * when it has none.
     */
    public static Select of(String text, boolean hasProjection) {
        if (text == null) return hasProjection ? SPECIFIC_ATTRIBUTES : ALL_ATTRIBUTES;
        try {
            return valueOf(text);
        } catch (IllegalArgumentException e) {
            throw DynamoException.validation("1 validation error detected: Value '" + text
                    + "' at 'select' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
        }
    }
}
