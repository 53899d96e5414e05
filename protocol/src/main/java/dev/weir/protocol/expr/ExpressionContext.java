package dev.weir.protocol.expr;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.eval.ConditionEvaluator;
import dev.weir.protocol.expr.eval.Projector;
import dev.weir.protocol.expr.eval.UpdateApplier;
import dev.weir.protocol.expr.parse.ExpressionParser;
import dev.weir.protocol.expr.parse.Substitutions;
import dev.weir.protocol.model.AttributeValue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The expressions of one request. They share the request's ExpressionAttributeNames and
 * ExpressionAttributeValues; after parsing them all, {@link #requireAllUsed} refuses names or
 * values that no expression used, as DynamoDB does. Not thread-safe: one per request.
 */
public final class ExpressionContext {
    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();
    private final Substitutions substitutions = new Substitutions() {
        @Override public String name(String ref) {
            String name = names.get(ref);
            if (name != null) usedNames.add(ref);
            return name;
        }

        @Override public AttributeValue value(String ref) {
            AttributeValue value = values.get(ref);
            if (value != null) usedValues.add(ref);
            return value;
        }
    };

    public ExpressionContext(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = names == null ? Map.of() : sharedInstances(names);
        this.values = values == null ? Map.of() : values;
    }

    /**
     * The names with equal texts as one String: a path element is then compared by identity
     * before content, so comparing paths never compares two copies of the same long name
     * (a name may be 64 KB) character by character. Costs one hash of each name.
     */
    private static Map<String, String> sharedInstances(Map<String, String> names) {
        if (names.size() < 2) return names;
        Map<String, String> instances = HashMap.newHashMap(names.size());
        Map<String, String> out = LinkedHashMap.newLinkedHashMap(names.size());
        names.forEach((ref, name) -> out.put(ref, name == null ? null : instances.computeIfAbsent(name, n -> n)));
        return out;
    }

    /** Parses a condition; {@code parameterName} is ConditionExpression, FilterExpression or KeyConditionExpression. */
    public Condition condition(String parameterName, String text) {
        return new ConditionEvaluator(ExpressionParser.condition(parameterName, text, substitutions));
    }

    /** Parses an UpdateExpression. */
    public Update update(String text) {
        return new UpdateApplier(ExpressionParser.update(text, substitutions));
    }

    /** Parses a ProjectionExpression. */
    public Projection projection(String text) {
        List<Path> paths = ExpressionParser.projection(text, substitutions);
        return new Projector(paths);
    }

    /** Refuses the request if it defined names or values that none of its expressions used. */
    public void requireAllUsed() {
        List<String> unusedNames = names.keySet().stream().filter(k -> !usedNames.contains(k)).toList();
        if (!unusedNames.isEmpty()) {
            throw DynamoException.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        List<String> unusedValues = values.keySet().stream().filter(k -> !usedValues.contains(k)).toList();
        if (!unusedValues.isEmpty()) {
            throw DynamoException.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }
}
