package dev.weir.protocol.expr.parse;

import dev.weir.protocol.error.DynamoException;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The semantic problems found in one expression. DynamoDB reports only one, chosen by kind
 * in a fixed order rather than by position, so the builder records the first of each kind
 * and {@link #throwIfAny} picks by the expression's order.
 */
final class Problems {

    enum Kind {
        REDUNDANT_PARENTHESES, UNKNOWN_FUNCTION, MISUSED_FUNCTION, RESERVED, DUPLICATE_SECTION, UNDEFINED,
        OVERLAP, CONFLICT, OPERAND_COUNT, DISTINCT, OPERAND_TYPE, TOO_MANY_IN
    }

    static final List<Kind> CONDITION_ORDER = List.of(
            Kind.REDUNDANT_PARENTHESES, Kind.UNKNOWN_FUNCTION, Kind.MISUSED_FUNCTION, Kind.RESERVED,
            Kind.UNDEFINED, Kind.OPERAND_COUNT, Kind.DISTINCT, Kind.OPERAND_TYPE, Kind.TOO_MANY_IN);

    static final List<Kind> UPDATE_ORDER = List.of(
            Kind.RESERVED, Kind.UNKNOWN_FUNCTION, Kind.DUPLICATE_SECTION, Kind.UNDEFINED, Kind.OVERLAP,
            Kind.CONFLICT, Kind.OPERAND_COUNT, Kind.OPERAND_TYPE, Kind.MISUSED_FUNCTION);

    static final List<Kind> PROJECTION_ORDER = List.of(
            Kind.RESERVED, Kind.UNDEFINED, Kind.OVERLAP, Kind.CONFLICT);

    private final Map<Kind, String> first = new EnumMap<>(Kind.class);

    void report(Kind kind, String message) {
        first.putIfAbsent(kind, message);
    }

    boolean has(Kind kind) {
        return first.containsKey(kind);
    }

    void throwIfAny(String parameterName, List<Kind> order) {
        for (Kind kind : order) {
            String message = first.get(kind);
            if (message != null) throw DynamoException.validation("Invalid " + parameterName + ": " + message);
        }
        if (!first.isEmpty()) {
            throw DynamoException.validation("Invalid " + parameterName + ": " + first.values().iterator().next());
        }
    }
}
