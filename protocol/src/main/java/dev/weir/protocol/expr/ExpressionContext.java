package dev.weir.protocol.expr;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.eval.ConditionEvaluator;
import dev.weir.protocol.expr.eval.Projector;
import dev.weir.protocol.expr.eval.UpdateApplier;
import dev.weir.protocol.expr.parse.ExpressionParser;
import dev.weir.protocol.expr.parse.Substitutions;
import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
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
     * (a name may be 64 KB) character by character. A request's few names are compared pairwise
     * (lengths first) and kept as they are when no two are equal copies, the usual case; more
     * names cost one hash of each.
     */
    private static Map<String, String> sharedInstances(Map<String, String> names) {
        if (names.size() < 2) return names;
        if (names.size() <= PAIRWISE_NAMES && !hasEqualCopies(names)) return names;
        Map<String, String> instances = HashMap.newHashMap(names.size());
        Map<String, String> out = LinkedHashMap.newLinkedHashMap(names.size());
        names.forEach((ref, name) -> out.put(ref, name == null ? null : instances.computeIfAbsent(name, n -> n)));
        return out;
    }

    /** Up to this many names are compared pairwise rather than hashed. */
    private static final int PAIRWISE_NAMES = 16;

    private static boolean hasEqualCopies(Map<String, String> names) {
        String[] all = names.values().toArray(String[]::new);
        for (int i = 0; i < all.length; i++) {
            for (int j = i + 1; j < all.length; j++) {
                if (all[i] != all[j] && all[i] != null && all[i].equals(all[j])) return true;
            }
        }
        return false;
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
        // Only defined refs are marked used, so equal counts mean every one was used.
        if (usedNames.size() < names.size()) {
            List<String> unusedNames = new ArrayList<>();
            for (String ref : names.keySet()) if (!usedNames.contains(ref)) unusedNames.add(ref);
            throw DynamoException.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        if (usedValues.size() < values.size()) {
            List<String> unusedValues = new ArrayList<>();
            for (String ref : values.keySet()) if (!usedValues.contains(ref)) unusedValues.add(ref);
            throw DynamoException.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }
}
