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

/** Splits a KeyConditionExpression into the hash key's value and the range key's condition. */
public final class KeyConditions {
    private KeyConditions() {}

    /** One key attribute's condition, the attribute on the left. */
    private record Part(String attribute, RangeCondition condition) {}

    /** Splits a KeyConditionExpression against the key schema; DynamoDB's errors otherwise. */
    public static KeyCondition analyze(Condition keyCondition, String hashKeyName, String rangeKeyName) {
        Map<String, RangeCondition> parts = new LinkedHashMap<>();
        for (Part part : parts(keyCondition.expression(), new ArrayList<>())) {
            if (parts.putIfAbsent(part.attribute(), part.condition()) != null) {
                throw DynamoException.validation("KeyConditionExpressions must only contain one condition per key");
            }
        }
        if (rangeKeyName == null && parts.size() > 1) {
            throw DynamoException.validation("Query key condition not supported");
        }
        RangeCondition hash = parts.get(hashKeyName);
        if (hash == null) {
            throw DynamoException.validation("Query condition missed key schema element: " + hashKeyName);
        }
        RangeCondition range = rangeKeyName == null ? null : parts.get(rangeKeyName);
        if (parts.size() > (range == null ? 1 : 2)) {
            if (rangeKeyName != null && range == null) {
                throw DynamoException.validation("Query condition missed key schema element: " + rangeKeyName);
            }
            throw DynamoException.validation("Query key condition not supported");
        }
        if (!(hash instanceof RangeCondition.Eq eq)) {
            throw DynamoException.validation("Query key condition not supported");
        }
        return new KeyCondition(eq.value(), range);
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
