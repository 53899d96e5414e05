package dev.weir.protocol.expr.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.List;

/**
 * Which expression and legacy parameters each operation takes, and DynamoDB's refusal to mix
 * them in one request. The one exception DynamoDB makes: a Query's KeyConditions may come with
 * a FilterExpression or a ProjectionExpression when there is no KeyConditionExpression.
 */
final class ParameterMixing {
    /** The expression parameters and the legacy parameters of one operation, in DynamoDB's order. */
    record Parameters(List<String> expressions, List<String> legacy) {}

    private static final Parameters READ_ONE = new Parameters(List.of("ProjectionExpression"), List.of("AttributesToGet"));
    private static final Parameters NONE = new Parameters(List.of(), List.of());

    private ParameterMixing() {}

    /** The parameters of {@code op}; for BatchGetItem, those of one table's entry of RequestItems. */
    static Parameters of(Operation op) {
        return switch (op) {
            case GetItem, BatchGetItem -> READ_ONE;
            case Query -> new Parameters(List.of("ProjectionExpression", "FilterExpression", "KeyConditionExpression"),
                    List.of("AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"));
            case Scan -> new Parameters(List.of("ProjectionExpression", "FilterExpression"),
                    List.of("AttributesToGet", "ScanFilter", "ConditionalOperator"));
            case PutItem, DeleteItem -> new Parameters(List.of("ConditionExpression"), List.of("Expected", "ConditionalOperator"));
            case UpdateItem -> new Parameters(List.of("UpdateExpression", "ConditionExpression"),
                    List.of("AttributeUpdates", "Expected", "ConditionalOperator"));
            default -> NONE;
        };
    }

    static void check(Operation op, JsonNode request) {
        Parameters p = of(op);
        List<String> expressions = present(request, p.expressions());
        if (expressions.isEmpty()) return;
        List<String> legacy = new ArrayList<>(present(request, p.legacy()));
        if (op == Operation.Query && !Members.present(request, "KeyConditionExpression")) legacy.remove("KeyConditions");
        if (!legacy.isEmpty()) {
            throw DynamoException.validation("Can not use both expression and non-expression parameters in the same request: "
                    + "Non-expression parameters: {" + String.join(", ", legacy) + "} "
                    + "Expression parameters: {" + String.join(", ", expressions) + "}");
        }
    }

    private static List<String> present(JsonNode request, List<String> members) {
        List<String> out = new ArrayList<>(2);
        for (String m : members) if (Members.present(request, m)) out.add(m);
        return out;
    }

    /** Whether the request carries any legacy parameter {@code op} takes (most requests carry none). */
    static boolean anyLegacy(Operation op, JsonNode request) {
        for (String m : of(op).legacy()) if (Members.present(request, m)) return true;
        return false;
    }
}
