package dev.weir.store.expression;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.expr.legacy.Legacy;
import dev.weir.protocol.expr.legacy.LegacyRequest;
import dev.weir.protocol.expr.legacy.ValueReader;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.store.value.ItemValidator;

/**
 * The legacy (pre-expression) parameters of a request, translated by the protocol's
 * {@link Legacy} into the same engine objects the expressions parse to, their values checked
 * and canonical as stored values are.
 */
public final class LegacyParameters {
    /** Reads a legacy parameter's value as ExpressionAttributeValues are read. */
    public static final ValueReader VALUES = node -> ItemValidator.canonical(AttributeValueJson.value(node));

    private LegacyParameters() {}

    /** Refuses a request that mixes expression and legacy parameters, before anything else of either is read. */
    public static void checkNotMixed(Operation op, JsonNode request) {
        Legacy.checkNotMixed(op, request);
        ExpressionParameters.check(op, request);
    }

    /** Every legacy parameter {@code op} takes, translated. */
    public static LegacyRequest of(Operation op, JsonNode request) {
        return Legacy.translate(op, request, VALUES);
    }

    /** The legacy parameters of one request, to translate one by one (BatchGetItem's tables). */
    public static Legacy reader(JsonNode request) {
        return Legacy.of(request, VALUES);
    }

    /** The expression if there is one, else its legacy twin (a request has at most one of them). */
    public static <T> T either(T expression, T legacy) {
        return expression != null ? expression : legacy;
    }
}
