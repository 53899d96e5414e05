package dev.weir.store.expression;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;
import dev.weir.store.api.RequestFields;

import java.util.List;
import java.util.Map;

/**
 * DynamoDB's rule that expression names and values come only with expressions, checked where
 * DynamoDB checks it: right after legacy and expression parameters were found not mixed, before
 * any expression is parsed. Names need any expression of the operation; values need one that
 * can use a value (a projection cannot), and the message names those that are missing.
 */
final class ExpressionParameters {
    private ExpressionParameters() {}

    /** Per operation, its expression members in DynamoDB's order (as its messages list them). */
    private static final Map<Operation, List<String>> EXPRESSIONS = Map.of(
            Operation.GetItem, List.of("ProjectionExpression"),
            Operation.BatchGetItem, List.of("ProjectionExpression"),
            Operation.PutItem, List.of("ConditionExpression"),
            Operation.DeleteItem, List.of("ConditionExpression"),
            Operation.UpdateItem, List.of("UpdateExpression", "ConditionExpression"),
            Operation.Query, List.of("ProjectionExpression", "FilterExpression", "KeyConditionExpression"),
            Operation.Scan, List.of("ProjectionExpression", "FilterExpression"));

    static void check(Operation op, JsonNode request) {
        List<String> expressions = EXPRESSIONS.get(op);
        if (expressions == null) return;
        boolean any = expressions.stream().anyMatch(e -> RequestFields.present(request, e));
        if (!any && RequestFields.present(request, "ExpressionAttributeNames")) {
            throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
        }
        List<String> valued = expressions.stream().filter(e -> !e.equals("ProjectionExpression")).toList();
        if (!valued.isEmpty() && RequestFields.present(request, "ExpressionAttributeValues")
                && valued.stream().noneMatch(e -> RequestFields.present(request, e))) {
            throw DynamoException.validation("ExpressionAttributeValues can only be specified when using expressions: "
                    + String.join(" and ", valued) + (valued.size() > 1 ? " are" : " is") + " null");
        }
    }
}
