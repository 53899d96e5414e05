package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.error.WrongType;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.expr.legacy.Legacy;
import dev.weir.protocol.expr.legacy.LegacyRequest;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every expression of one request (or one part of a batch or transaction), parsed once into
 * trees by the store's own expression engine, placeholders resolved; the legacy parameters
 * translated into the same trees. Checks read these, never the text. A member the request
 * does not have is null.
 *
 * @param names  the request's ExpressionAttributeNames (empty when none)
 * @param values the request's ExpressionAttributeValues (empty when none)
 */
public record Expressions(Map<String, String> names, Map<String, AttributeValue> values, Condition keyCondition,
                          Condition filter, Condition condition, Projection projection, Update update,
                          LegacyRequest legacy) {
    public Expressions {
        names = names.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(names));
        values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A request without expressions (table management, a BatchWriteItem put). */
    static final Expressions NONE = new Expressions(Map.of(), Map.of(), null, null, null, null, null, LegacyRequest.EMPTY);

    /**
     * Parses the expressions of {@code body}, a request of {@code op} (or a part that acts as
     * one); errors are DynamoDB's own ValidationExceptions.
     */
    static Expressions parse(Operation op, JsonNode body) {
        return plain(body) ? NONE : parsed(op, body);
    }

    /** {@link #parse} without the shortcut for a request of {@link #PLAIN} members only (its test's oracle). */
    static Expressions parsed(Operation op, JsonNode body) {
        Map<String, String> names = names(body);
        Map<String, AttributeValue> values = values(body);
        ExpressionContext ctx = new ExpressionContext(names, values);
        Condition keyCondition = condition(ctx, body, "KeyConditionExpression");
        Condition filter = condition(ctx, body, "FilterExpression");
        Condition condition = condition(ctx, body, "ConditionExpression");
        String projection = text(body, "ProjectionExpression");
        String update = text(body, "UpdateExpression");
        Expressions parsed = new Expressions(names, values, keyCondition, filter, condition,
                projection == null ? null : ctx.projection(projection), update == null ? null : ctx.update(update),
                Legacy.translate(op, body));
        requirePlaceholdersUsed(body, ctx, keyCondition != null || filter != null || condition != null
                || projection != null || update != null);
        return parsed;
    }

    /**
     * The members that are neither an expression, nor ExpressionAttributeNames or
     * ExpressionAttributeValues, nor a legacy parameter: a request (or part) with only these has
     * nothing here to parse, and is {@link #NONE}, which parsing it gives too (issue 16: a
     * GetItem or PutItem looked each expression member up in vain). A member not listed, even
     * one whose value is null, takes the whole parse.
     */
    private static final Set<String> PLAIN = Set.of("TableName", "Key", "Item", "ConsistentRead", "ReturnConsumedCapacity",
            "ReturnValues", "ReturnItemCollectionMetrics", "ReturnValuesOnConditionCheckFailure", "Limit", "ExclusiveStartKey",
            "IndexName", "Select", "Segment", "TotalSegments", "ScanIndexForward");

    private static boolean plain(JsonNode body) {
        if (!(body instanceof ObjectNode obj)) return false;
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) if (!PLAIN.contains(it.next())) return false;
        return true;
    }

    /**
     * Refuses names and values as DynamoDB (and the bundled store) does: only with expressions,
     * never an empty map, every one used. weir writes the expressions it forwards anew with its
     * own placeholders, so a name or value the client defined but never used would silently
     * disappear: a request DynamoDB refuses would become one it accepts.
     */
    private static void requirePlaceholdersUsed(JsonNode body, ExpressionContext ctx, boolean anyExpression) {
        boolean hasNames = present(body, "ExpressionAttributeNames");
        boolean hasValues = present(body, "ExpressionAttributeValues");
        if (!anyExpression) {
            if (hasNames) throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
            if (hasValues) throw DynamoException.validation("ExpressionAttributeValues can only be specified when using expressions");
            return;
        }
        if (hasNames && body.get("ExpressionAttributeNames").isEmpty()) {
            throw DynamoException.validation("ExpressionAttributeNames must not be empty");
        }
        if (hasValues && body.get("ExpressionAttributeValues").isEmpty()) {
            throw DynamoException.validation("ExpressionAttributeValues must not be empty");
        }
        ctx.requireAllUsed();
    }

    private static boolean present(JsonNode body, String member) {
        JsonNode n = body.get(member);
        return n != null && !n.isNull();
    }

    /**
     * Hands {@code to} every path the request tests, in order, as often as met: conditions,
     * filters, key conditions, the right-hand sides of the update, and the legacy twins of each.
     * Not the projection: it decides nothing (under a restricted view it is applied to the item
     * as the view shows it, see {@link #anyProjection()}).
     */
    public void eachTested(Consumer<Path> to) {
        if (keyCondition != null) keyCondition.paths().forEach(to);
        if (filter != null) filter.paths().forEach(to);
        if (condition != null) condition.paths().forEach(to);
        if (update != null) update.readPaths().forEach(to);
        if (legacy.keyCondition() != null) legacy.keyCondition().paths().forEach(to);
        if (legacy.filter() != null) legacy.filter().paths().forEach(to);
        if (legacy.condition() != null) legacy.condition().paths().forEach(to);
        if (legacy.update() != null) legacy.update().readPaths().forEach(to);
    }

    /** Every path the update (or AttributeUpdates) writes. */
    public Set<Path> written() {
        Set<Path> out = new LinkedHashSet<>();
        if (update != null) out.addAll(update.writePaths());
        out.addAll(legacy.writePaths());
        return out;
    }

    /** The client's projection (ProjectionExpression or AttributesToGet), or null when it asks for whole items. */
    public Projection anyProjection() {
        return projection != null ? projection : legacy.projection();
    }

    private static Condition condition(ExpressionContext ctx, JsonNode body, String member) {
        String text = text(body, member);
        return text == null ? null : ctx.condition(member, text);
    }

    private static String text(JsonNode body, String member) {
        JsonNode n = body.get(member);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw DynamoException.validation(member + " must be a string");
        return n.textValue();
    }

    /** The names, each a string, as DynamoDB requires (a number or an object is no attribute name). */
    private static Map<String, String> names(JsonNode body) {
        JsonNode n = map(body, "ExpressionAttributeNames");
        if (n == null) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) throw DynamoException.validation("ExpressionAttributeNames contains invalid value");
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static Map<String, AttributeValue> values(JsonNode body) {
        JsonNode n = map(body, "ExpressionAttributeValues");
        return n == null ? Map.of() : AttributeValueJson.item(n, "ExpressionAttributeValues");
    }

    /** A map member, or null when absent; anything but a map is refused as DynamoDB refuses it, never taken as none. */
    private static JsonNode map(JsonNode body, String member) {
        JsonNode n = body.get(member);
        if (n == null || n.isNull()) return null;
        if (n.isObject()) return n;
        throw WrongType.structure(n, "java.util.Map<java.lang.String, " + (member.equals("ExpressionAttributeValues")
                ? "com.amazonaws.dynamodb.v20120810.AttributeValue" : "java.lang.String") + ">", true);
    }
}
