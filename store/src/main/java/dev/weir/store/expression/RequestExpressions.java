package dev.weir.store.expression;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.value.AttributeName;
import dev.weir.store.api.RequestFields;
import dev.weir.store.value.ItemValidator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The expressions of one request (or one action of a transaction), parsed against its
 * ExpressionAttributeNames and ExpressionAttributeValues with DynamoDB's checks: names and
 * values only with expressions, never empty, every one used, values valid as stored values.
 */
public final class RequestExpressions {
    private final JsonNode request;
    private final ExpressionContext context;
    private boolean anyExpression;

    private RequestExpressions(JsonNode request, ExpressionContext context) {
        this.request = request;
        this.context = context;
    }

    public static RequestExpressions of(JsonNode request) {
        JsonNode namesNode = RequestFields.object(request, "ExpressionAttributeNames");
        JsonNode valuesNode = RequestFields.object(request, "ExpressionAttributeValues");
        Map<String, String> names = null;
        if (namesNode != null) {
            names = new LinkedHashMap<>();
            for (var e : namesNode.properties()) {
                if (!e.getValue().isTextual()) throw DynamoException.validation("ExpressionAttributeNames contains invalid value");
                names.put(e.getKey(), e.getValue().textValue());
            }
        }
        Map<String, AttributeValue> values = null;
        if (valuesNode != null) {
            // every value is read before any is checked, as DynamoDB reads the whole request before
            // validating it: a value of the wrong JSON shape is a SerializationException even when
            // another value before it holds an invalid number
            Map<String, AttributeValue> read = new LinkedHashMap<>();
            for (var e : valuesNode.properties()) {
                try {
                    read.put(e.getKey(), AttributeValueJson.value(e.getValue()));
                } catch (DynamoException invalid) {
                    throw invalidValue(invalid, e.getKey());
                }
            }
            values = new LinkedHashMap<>();
            if (names != null) names.values().forEach(AttributeName::check);
            for (var e : read.entrySet()) {
                try {
                    values.put(e.getKey(), ItemValidator.canonical(e.getValue()));
                } catch (DynamoException invalid) {
                    throw invalidValue(invalid, e.getKey());
                }
            }
        }
        if (values == null && names != null) names.values().forEach(AttributeName::check);
        return new RequestExpressions(request, new ExpressionContext(names, values));
    }

    /**
     * A value's error, named as DynamoDB names it: "ExpressionAttributeValues contains invalid
     * value: ... for key :v", except a name too large inside the value, which DynamoDB reports
     * as it reports one in an item.
     */
    private static DynamoException invalidValue(DynamoException invalid, String key) {
        if (!invalid.error().shortType().equals("ValidationException")) return invalid;
        if (invalid.error().message().startsWith(AttributeName.TOO_LARGE)) return invalid;
        return DynamoException.validation("ExpressionAttributeValues contains invalid value: "
                + invalid.error().message() + " for key " + key);
    }

    /** The condition in {@code member} (ConditionExpression, FilterExpression, KeyConditionExpression), or null. */
    public Condition condition(String member) {
        String text = RequestFields.text(request, member);
        if (text == null) return null;
        anyExpression = true;
        return context.condition(member, text);
    }

    /** The UpdateExpression, or null. */
    public Update update() {
        String text = RequestFields.text(request, "UpdateExpression");
        if (text == null) return null;
        anyExpression = true;
        return context.update(text);
    }

    /** The ProjectionExpression, or null. */
    public Projection projection() {
        String text = RequestFields.text(request, "ProjectionExpression");
        if (text == null) return null;
        anyExpression = true;
        return context.projection(text);
    }

    /** After every expression of the request was read: refuses names and values that are misplaced or unused. */
    public void finish() {
        boolean hasNames = RequestFields.present(request, "ExpressionAttributeNames");
        boolean hasValues = RequestFields.present(request, "ExpressionAttributeValues");
        if (!anyExpression) {
            if (hasNames) throw DynamoException.validation("ExpressionAttributeNames can only be specified when using expressions");
            if (hasValues) throw DynamoException.validation("ExpressionAttributeValues can only be specified when using expressions");
            return;
        }
        if (hasNames && request.get("ExpressionAttributeNames").isEmpty()) {
            throw DynamoException.validation("ExpressionAttributeNames must not be empty");
        }
        if (hasValues && request.get("ExpressionAttributeValues").isEmpty()) {
            throw DynamoException.validation("ExpressionAttributeValues must not be empty");
        }
        context.requireAllUsed();
    }
}
