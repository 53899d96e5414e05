package dev.weir.protocol.expr.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Legacy conditions (KeyConditions, QueryFilter, ScanFilter, Expected) to condition syntax
 * trees: one condition per attribute, joined with AND or OR (ConditionalOperator). Attribute
 * names are literal: {@code a.b} is the top-level attribute named {@code a.b}.
 */
final class ConditionTranslator {
    static final List<String> CONDITIONAL_OPERATORS = List.of("AND", "OR");

    private final ValueReader reader;
    private final Placeholders placeholders;

    ConditionTranslator(ValueReader reader, Placeholders placeholders) {
        this.reader = reader;
        this.placeholders = placeholders;
    }

    /** KeyConditions, QueryFilter or ScanFilter ({@code member}): each entry a ComparisonOperator and its values. */
    List<ConditionExpr> conditions(JsonNode map, String member) {
        List<ConditionExpr> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            JsonNode c = requireObject(e.getValue());
            String path = Members.camel(member) + "." + e.getKey() + ".member.comparisonOperator";
            ComparisonOperator op = operator(c, path);
            if (op == null) throw Members.constraint("null", path, "Member must not be null");
            out.add(condition(e.getKey(), op, values(c)));
        }
        return out;
    }

    /** The ComparisonOperators of KeyConditions, checked before they are translated. */
    static void checkKeyConditions(JsonNode map) {
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String op = Members.text(requireObject(e.getValue()), "ComparisonOperator");
            if (op != null && ComparisonOperator.DYNAMO_ORDER.contains(op)
                    && !ComparisonOperator.INDEXABLE.contains(ComparisonOperator.valueOf(op))) {
                throw DynamoException.validation(
                        "Attempted conditional constraint is not an indexable operation");
            }
        }
        if (map.isEmpty() || map.size() > 2) {
            throw DynamoException.validation("Conditions can be of length 1 or 2 only");
        }
    }

    /** Expected: per attribute Value / Exists, or ComparisonOperator with AttributeValueList (or Value). */
    List<ConditionExpr> expected(JsonNode map) {
        List<ConditionExpr> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String attribute = e.getKey();
            JsonNode c = requireObject(e.getValue());
            boolean hasValue = Members.present(c, "Value");
            boolean hasList = Members.present(c, "AttributeValueList");
            Boolean exists = Members.bool(c, "Exists");
            ComparisonOperator op = operator(c, "expected." + attribute + ".member.comparisonOperator");
            if (hasValue && hasList) {
                throw Members.invalid("Value and AttributeValueList cannot be used together for Attribute: " + attribute);
            }
            if (op != null) {
                if (exists != null) {
                    throw Members.invalid("Exists and ComparisonOperator cannot be used together for Attribute: " + attribute);
                }
                if (!hasValue && !hasList && op != ComparisonOperator.NULL && op != ComparisonOperator.NOT_NULL) {
                    throw Members.invalid("Value or AttributeValueList must be used with ComparisonOperator: " + op.name()
                            + " for Attribute: " + attribute);
                }
                List<AttributeValue> values = hasValue ? List.of(reader.read(c.get("Value"))) : values(c);
                out.add(condition(attribute, op, values));
                continue;
            }
            if (hasList) {
                throw Members.invalid("AttributeValueList can only be used with a ComparisonOperator for Attribute: " + attribute);
            }
            boolean mustExist = exists == null || exists;
            if (mustExist && !hasValue) {
                throw Members.invalid("Value must be provided when Exists is " + (exists == null ? "null" : "true")
                        + " for Attribute: " + attribute);
            }
            if (!mustExist && hasValue) {
                throw Members.invalid("Value cannot be used when Exists is false for Attribute: " + attribute);
            }
            out.add(mustExist
                    ? condition(attribute, ComparisonOperator.EQ, List.of(reader.read(c.get("Value"))))
                    : condition(attribute, ComparisonOperator.NULL, List.of()));
        }
        return out;
    }

    /** The conditions joined by ConditionalOperator (AND when absent), left to right; null when there are none. */
    static ConditionExpr join(List<ConditionExpr> conditions, String conditionalOperator) {
        ConditionExpr result = null;
        for (ConditionExpr c : conditions) {
            if (result == null) result = c;
            else if ("OR".equals(conditionalOperator)) result = new ConditionExpr.Or(result, c);
            else result = new ConditionExpr.And(result, c);
        }
        return result;
    }

    private ConditionExpr condition(String attribute, ComparisonOperator op, List<AttributeValue> values) {
        op.check(values);
        List<Operand.ValueOperand> operands = new ArrayList<>(values.size());
        for (AttributeValue v : values) operands.add(placeholders.next(v));
        return op.toExpression(Path.of(attribute), operands);
    }

    private static ComparisonOperator operator(JsonNode condition, String path) {
        String op = Members.oneOf(condition, "ComparisonOperator", path, ComparisonOperator.DYNAMO_ORDER);
        return op == null ? null : ComparisonOperator.valueOf(op);
    }

    private List<AttributeValue> values(JsonNode condition) {
        JsonNode list = Members.array(condition, "AttributeValueList");
        if (list == null) return List.of();
        List<AttributeValue> out = new ArrayList<>(list.size());
        for (JsonNode v : list) out.add(reader.read(v));
        return out;
    }

    static JsonNode requireObject(JsonNode v) {
        if (!v.isObject()) throw Members.wrongValue(v);
        return v;
    }
}
