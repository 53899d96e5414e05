package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.error.WrongType;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.Expressions;
import dev.weir.proxy.schema.TableSchema;

import java.util.List;
import java.util.Map;

/**
 * A client's Query or Scan as weir pages it (the caller's view is restricted): what the store
 * is asked for (the table or index, the key condition, the members passed as given) and what
 * weir does itself (Limit, the client's filter, Select, the projection, where to start).
 * Legacy parameters come translated: KeyConditions as the key condition, QueryFilter or
 * ScanFilter as the filter, AttributesToGet as the projection.
 *
 * <p>The store never sees the members weir handles, so weir checks them as DynamoDB does
 * ({@link #of}): Limit at least 1, Select consistent with the projection and the index, the
 * expression names and values each used and not empty, and a Query's filter free of the key
 * attributes of what it reads. The rest (the key condition, the members passed, the start
 * key) the store checks on the first read.
 *
 * @param index     the IndexName, or null for the table
 * @param passed    ScanIndexForward, ConsistentRead, Segment and TotalSegments as the client gave them, and its
 *                  Select when that is ALL_ATTRIBUTES or ALL_PROJECTED_ATTRIBUTES (what the store returns)
 * @param exclusiveStartKey the client's ExclusiveStartKey, or null
 */
public record ClientRead(Operation op, String index, Condition keyCondition, Condition filter, Projection projection,
                         Select select, Integer limit, Map<String, AttributeValue> exclusiveStartKey, ObjectNode passed) {
    /** The members passed to the store as the client gave them. */
    static final List<String> PASSED = List.of("ScanIndexForward", "ConsistentRead", "Segment", "TotalSegments");
    private static final List<String> EXPRESSIONS = List.of("KeyConditionExpression", "FilterExpression", "ProjectionExpression");

    /**
     * The client's read, checked as DynamoDB checks the members the store will not see.
     *
     * @param op          Query or Scan
     * @param body        the request as the client sent it
     * @param expressions its expressions, parsed
     * @param schema      the table's keys and indexes
     * @throws DynamoException DynamoDB's ValidationException (or SerializationException) for a malformed read
     */
    public static ClientRead of(Operation op, ObjectNode body, Expressions expressions, TableSchema schema) {
        if (op != Operation.Query && op != Operation.Scan) throw new IllegalArgumentException(op + " is not paged");
        boolean query = op == Operation.Query;
        Integer limit = limit(body.get("Limit"));
        String index = text(body, "IndexName");
        String projectionMember = body.hasNonNull("ProjectionExpression") ? "ProjectionExpression"
                : body.hasNonNull("AttributesToGet") ? "AttributesToGet" : null;
        String selectText = text(body, "Select");
        Select select = Select.of(selectText, projectionMember != null);
        checkSelect(selectText, projectionMember, index, query);
        checkNamesAndValues(body);
        if (index != null && schema.index(index).isEmpty()) {
            throw DynamoException.validation("The table does not have the specified index: " + index);
        }
        Condition keyCondition = expressions.keyCondition() != null ? expressions.keyCondition() : expressions.legacy().keyCondition();
        Condition filter = expressions.filter() != null ? expressions.filter() : expressions.legacy().filter();
        if (query && filter != null) {
            List<String> keys = schema.orderKeys(index);
            for (Path p : filter.paths()) {
                if (keys.contains(p.attribute())) {
                    throw DynamoException.validation((expressions.filter() != null ? "Filter Expression" : "QueryFilter")
                            + " can only contain non-primary key attributes: Primary key attribute: " + p.attribute());
                }
            }
        }
        JsonNode start = body.get("ExclusiveStartKey");
        Map<String, AttributeValue> exclusiveStartKey = start == null || start.isNull() ? null
                : AttributeValueJson.item(start, "exclusiveStartKey");
        ObjectNode passed = body.objectNode();
        for (String member : PASSED) if (body.hasNonNull(member)) passed.set(member, body.get(member));
        if (select == Select.ALL_ATTRIBUTES || select == Select.ALL_PROJECTED_ATTRIBUTES) {
            if (selectText != null) passed.put("Select", selectText);
        }
        return new ClientRead(op, index, keyCondition, filter, expressions.anyProjection(), select, limit,
                exclusiveStartKey == null || exclusiveStartKey.isEmpty() ? null : exclusiveStartKey, passed);
    }

    /**
     * Limit as DynamoDB reads it: an Integer from 1 up, a decimal truncated (as the store reads
     * it too), anything else refused in DynamoDB's words.
     */
    private static Integer limit(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (!n.isNumber() || (n.isIntegralNumber() && !n.canConvertToLong())) throw WrongType.scalar(n, "Integer");
        long v = n.longValue();
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw DynamoException.validation("1 validation error detected: Value '" + v + "' at 'limit' failed to satisfy constraint: "
                    + "Member must have value " + (v < 1 ? "greater than or equal to 1" : "less than or equal to " + Integer.MAX_VALUE));
        }
        return (int) v;
    }

    /** DynamoDB's rules relating Select, the projection and IndexName (Query wraps some messages, Scan does not). */
    private static void checkSelect(String select, String projectionMember, String index, boolean query) {
        String envelope = query ? "1 validation error detected: " : "";
        if (projectionMember != null && select != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
            String what = select.equals("COUNT") ? "only the Count" : select;
            throw DynamoException.validation(envelope + "Cannot specify the " + projectionMember + " when choosing to get " + what);
        }
        if ("SPECIFIC_ATTRIBUTES".equals(select) && projectionMember == null) {
            throw DynamoException.validation(envelope
                    + "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
        }
        if ("ALL_PROJECTED_ATTRIBUTES".equals(select) && index == null) {
            throw DynamoException.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
    }

    /** ExpressionAttributeNames and ExpressionAttributeValues: only with expressions, never empty, each one used. */
    private static void checkNamesAndValues(ObjectNode body) {
        boolean hasNames = body.hasNonNull("ExpressionAttributeNames");
        boolean hasValues = body.hasNonNull("ExpressionAttributeValues");
        if (!hasNames && !hasValues) return;
        boolean anyExpression = EXPRESSIONS.stream().anyMatch(body::hasNonNull);
        if (!anyExpression) {
            if (hasNames) throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
            throw DynamoException.validation("ExpressionAttributeValues can only be specified when using expressions");
        }
        if (hasNames && body.get("ExpressionAttributeNames").isEmpty()) {
            throw DynamoException.validation("ExpressionAttributeNames must not be empty");
        }
        if (hasValues && body.get("ExpressionAttributeValues").isEmpty()) {
            throw DynamoException.validation("ExpressionAttributeValues must not be empty");
        }
        Map<String, String> names = new java.util.LinkedHashMap<>();
        if (body.get("ExpressionAttributeNames") instanceof ObjectNode n) n.properties().forEach(e -> names.put(e.getKey(), e.getValue().asText()));
        Map<String, AttributeValue> values = hasValues ? AttributeValueJson.item(body.get("ExpressionAttributeValues"), "ExpressionAttributeValues")
                : Map.of();
        ExpressionContext context = new ExpressionContext(names, values);
        for (String member : EXPRESSIONS) {
            String text = text(body, member);
            if (text == null) continue;
            if (member.equals("ProjectionExpression")) context.projection(text);
            else context.condition(member, text);
        }
        context.requireAllUsed();
    }

    private static String text(ObjectNode body, String member) {
        JsonNode n = body.get(member);
        return n == null || n.isNull() ? null : n.asText();
    }
}
