package dev.weir.protocol.expr;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.ast.Comparator;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits a KeyConditionExpression into the partition key's values and the sort key's conditions. */
public final class KeyConditions {
    private KeyConditions() {}

    /** One key attribute's condition, the attribute on the left. */
    private record Part(String attribute, RangeCondition condition) {}

    /** Splits a KeyConditionExpression against a key schema of one partition and at most one (null) sort attribute. */
    public static KeyCondition analyze(Condition keyCondition, String hashKeyName, String rangeKeyName) {
        return analyze(keyCondition, List.of(hashKeyName), rangeKeyName == null ? List.of() : List.of(rangeKeyName));
    }

    /**
     * Splits a KeyConditionExpression against a key schema of one or more partition attributes
     * and any number of sort attributes (each list in the key schema's order); DynamoDB's errors
     * otherwise. Every partition attribute needs an equality; sort attributes may be given left
     * to right without a gap, each an equality but the last given. For one partition and at
     * most one sort attribute the errors are DynamoDB's recorded ones, in its order; for
     * multi-attribute keys, where the record gives no words, the same messages are used
     * (docs/store.md, "Multi-attribute keys").
     */
    public static KeyCondition analyze(Condition keyCondition, List<String> hashKeyNames, List<String> rangeKeyNames) {
        if (hashKeyNames.isEmpty()) throw new IllegalArgumentException("a key schema has a partition key");
        Map<String, RangeCondition> parts = new LinkedHashMap<>();
        for (Part part : parts(keyCondition.expression(), new ArrayList<>())) {
            if (parts.putIfAbsent(part.attribute(), part.condition()) != null) {
                throw DynamoException.validation("KeyConditionExpressions must only contain one condition per key");
            }
        }
        if (rangeKeyNames.isEmpty() && parts.size() > hashKeyNames.size()) {
            throw DynamoException.validation("Query key condition not supported");
        }
        List<AttributeValue> hashValues = new ArrayList<>();
        List<RangeCondition> hashConditions = new ArrayList<>();
        for (String hash : hashKeyNames) {
            RangeCondition c = parts.get(hash);
            if (c == null) throw DynamoException.validation("Query condition missed key schema element: " + hash);
            hashConditions.add(c);
        }
        List<RangeCondition> sort = new ArrayList<>();
        String firstMissingSort = null;
        boolean gap = false;
        for (String range : rangeKeyNames) {
            RangeCondition c = parts.get(range);
            if (c == null) {
                if (firstMissingSort == null) firstMissingSort = range;
            } else if (firstMissingSort != null) {
                gap = true;
            } else {
                sort.add(c);
            }
        }
        int known = hashKeyNames.size() + sort.size() + (gap ? 1 : 0);
        if (gap || parts.size() > known) {
            if (firstMissingSort != null) {
                throw DynamoException.validation("Query condition missed key schema element: " + firstMissingSort);
            }
            throw DynamoException.validation("Query key condition not supported");
        }
        for (RangeCondition c : hashConditions) {
            if (!(c instanceof RangeCondition.Eq eq)) throw DynamoException.validation("Query key condition not supported");
            hashValues.add(eq.value());
        }
        for (int i = 0; i + 1 < sort.size(); i++) {
            if (!(sort.get(i) instanceof RangeCondition.Eq)) throw DynamoException.validation("Query key condition not supported");
        }
        return new KeyCondition(hashValues, sort);
    }

    private static List<Part> parts(ConditionExpr expr, List<Part> out) {
        switch (expr) {
            case ConditionExpr.And and -> {
                parts(and.left(), out);
                parts(and.right(), out);
            }
            case ConditionExpr.Or or -> throw invalidOperator("OR");
            case ConditionExpr.Not not -> throw invalidOperator("NOT");
            case ConditionExpr.In in -> throw invalidOperator("IN");
            case ConditionExpr.AttributeExists e -> throw invalidOperator("attribute_exists");
            case ConditionExpr.AttributeNotExists e -> throw invalidOperator("attribute_not_exists");
            case ConditionExpr.AttributeType t -> throw invalidOperator("attribute_type");
            case ConditionExpr.Contains c -> throw invalidOperator("contains");
            case ConditionExpr.Compare cmp -> {
                if (cmp.comparator() == Comparator.NE) throw invalidOperator("<>");
                List<Operand> operands = List.of(cmp.left(), cmp.right());
                int keyAt = keyOperand(operands);
                AttributeValue value = valueOf(operands.get(1 - keyAt));
                Comparator comparator = keyAt == 0 ? cmp.comparator() : cmp.comparator().flipped();
                out.add(new Part(attribute(operands.get(keyAt)), switch (comparator) {
                    case EQ -> new RangeCondition.Eq(value);
                    case LT -> new RangeCondition.Lt(value);
                    case LE -> new RangeCondition.Le(value);
                    case GT -> new RangeCondition.Gt(value);
                    case GE -> new RangeCondition.Ge(value);
                    case NE -> throw invalidOperator("<>");
                }));
            }
            case ConditionExpr.Between between -> {
                List<Operand> operands = List.of(between.operand(), between.low(), between.high());
                if (keyOperand(operands) != 0) throw firstOperand("BETWEEN");
                out.add(new Part(attribute(between.operand()),
                        new RangeCondition.Between(valueOf(between.low()), valueOf(between.high()))));
            }
            case ConditionExpr.BeginsWith begins -> {
                List<Operand> operands = List.of(begins.operand(), begins.prefix());
                if (keyOperand(operands) != 0) throw firstOperand("begins_with");
                out.add(new Part(attribute(begins.operand()), new RangeCondition.BeginsWith(valueOf(begins.prefix()))));
            }
        }
        return out;
    }

    /** The position of the one key attribute among a condition's operands. */
    private static int keyOperand(List<Operand> operands) {
        int at = -1;
        for (int i = 0; i < operands.size(); i++) {
            switch (operands.get(i)) {
                case Operand.Size s -> throw DynamoException.validation("KeyConditionExpressions cannot contain nested operations");
                case Operand.PathOperand p -> {
                    if (at >= 0) {
                        throw DynamoException.validation(
                                "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
                    }
                    if (!p.path().isTopLevel()) {
                        throw DynamoException.validation("KeyConditionExpressions cannot have conditions on nested attributes");
                    }
                    at = i;
                }
                default -> { }
            }
        }
        if (at < 0) throw DynamoException.validation("Invalid condition in KeyConditionExpression: No key attribute specified");
        return at;
    }

    private static String attribute(Operand operand) {
        return ((Operand.PathOperand) operand).path().attribute();
    }

    private static AttributeValue valueOf(Operand operand) {
        if (operand instanceof Operand.ValueOperand v) return v.value();
        throw DynamoException.validation("KeyConditionExpressions cannot contain nested operations");
    }

    private static DynamoException invalidOperator(String operator) {
        return DynamoException.validation("Invalid operator used in KeyConditionExpression: " + operator);
    }

    private static DynamoException firstOperand(String operator) {
        return DynamoException.validation("Invalid condition in KeyConditionExpression: " + operator
                + " operator must have the key attribute as its first operand");
    }
}
