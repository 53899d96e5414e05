package dev.weir.protocol.expr.legacy;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.Comparator;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.eval.Values;
import dev.weir.protocol.model.AttributeValue;

import java.util.List;
import java.util.Set;

/**
 * The ComparisonOperator of a legacy condition: how many values it takes, of which types, and
 * the condition expression it stands for ({@code NOT_CONTAINS} is {@code NOT contains(a, :v)}).
 */
public enum ComparisonOperator {
    EQ(1, 1, Set.of("S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M")),
    NE(1, 1, Set.of("S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M")),
    LE(1, 1, Set.of("S", "N", "B")),
    LT(1, 1, Set.of("S", "N", "B")),
    GE(1, 1, Set.of("S", "N", "B")),
    GT(1, 1, Set.of("S", "N", "B")),
    NOT_NULL(0, 0, Set.of()),
    NULL(0, 0, Set.of()),
    CONTAINS(1, 1, Set.of("S", "N", "B", "BOOL", "NULL")),
    NOT_CONTAINS(1, 1, Set.of("S", "N", "B", "BOOL", "NULL")),
    BEGINS_WITH(1, 1, Set.of("S", "B")),
    IN(1, Integer.MAX_VALUE, Set.of("S", "N", "B")),
    BETWEEN(2, 2, Set.of("S", "N", "B"));

    /** The enum as DynamoDB lists it in its constraint message. */
    static final List<String> DYNAMO_ORDER = List.of("IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT",
            "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS");

    /** The operators a Query's KeyConditions may use. */
    static final Set<ComparisonOperator> INDEXABLE = Set.of(EQ, LE, LT, GE, GT, BEGINS_WITH, BETWEEN);

    private final int minValues;
    private final int maxValues;
    private final Set<String> types;

    ComparisonOperator(int minValues, int maxValues, Set<String> types) {
        this.minValues = minValues;
        this.maxValues = maxValues;
        this.types = types;
    }

    /** Refuses values of the wrong number or type, with DynamoDB's messages. */
    void check(List<AttributeValue> values) {
        if (values.size() < minValues || values.size() > maxValues) {
            throw Members.invalid("Invalid number of argument(s) for the " + name() + " ComparisonOperator");
        }
        for (AttributeValue v : values) {
            if (!types.contains(v.typeTag())) {
                throw Members.invalid("ComparisonOperator " + name() + " is not valid for " + v.typeTag() + " AttributeValue type");
            }
        }
        if (this == IN || this == BETWEEN) {
            for (AttributeValue v : values) {
                if (!v.typeTag().equals(values.getFirst().typeTag())) {
                    throw Members.invalid("AttributeValues inside AttributeValueList must be of same type");
                }
            }
        }
        if (this == BETWEEN && Values.compare(values.get(0), values.get(1)) > 0) {
            throw DynamoException.validation(
                    "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
        }
    }

    /** The condition this operator states about {@code path}; {@code operands} are the values as placeholders. */
    ConditionExpr toExpression(Path path, List<Operand.ValueOperand> operands) {
        Operand attribute = new Operand.PathOperand(path);
        return switch (this) {
            case EQ -> new ConditionExpr.Compare(Comparator.EQ, attribute, operands.getFirst());
            case NE -> new ConditionExpr.Compare(Comparator.NE, attribute, operands.getFirst());
            case LE -> new ConditionExpr.Compare(Comparator.LE, attribute, operands.getFirst());
            case LT -> new ConditionExpr.Compare(Comparator.LT, attribute, operands.getFirst());
            case GE -> new ConditionExpr.Compare(Comparator.GE, attribute, operands.getFirst());
            case GT -> new ConditionExpr.Compare(Comparator.GT, attribute, operands.getFirst());
            case NOT_NULL -> new ConditionExpr.AttributeExists(path);
            case NULL -> new ConditionExpr.AttributeNotExists(path);
            case CONTAINS -> new ConditionExpr.Contains(attribute, operands.getFirst());
            case NOT_CONTAINS -> new ConditionExpr.Not(new ConditionExpr.Contains(attribute, operands.getFirst()));
            case BEGINS_WITH -> new ConditionExpr.BeginsWith(attribute, operands.getFirst());
            case IN -> new ConditionExpr.In(attribute, List.copyOf(operands));
            case BETWEEN -> new ConditionExpr.Between(attribute, operands.get(0), operands.get(1));
        };
    }
}
