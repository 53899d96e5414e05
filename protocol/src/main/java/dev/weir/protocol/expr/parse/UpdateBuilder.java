package dev.weir.protocol.expr.parse;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.ast.UpdateAction;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.AddClauseContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.ArithmeticValueContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.DeleteClauseContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.PathContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.PlainValueContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.RemoveClauseContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.SetActionContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.SetClauseContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.SetFunctionOperandContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.SetOperandContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.SetPathOperandContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.SetValueContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.SetValueOperandContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.UpdateClauseContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.UpdateExpressionContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.ValueActionContext;
import org.antlr.v4.runtime.TokenStream;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parse tree of an UpdateExpression to {@link UpdateExpr}, with DynamoDB's semantic checks. */
final class UpdateBuilder extends TreeBuilder {
    private static final Set<String> CONDITION_FUNCTIONS = Set.of(
            "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size");
    private static final Map<String, String> TYPE_NAMES = Map.of(
            "S", "STRING", "N", "NUMBER", "B", "BINARY", "NULL", "NULL", "BOOL", "BOOLEAN",
            "L", "LIST", "M", "MAP", "SS", "STRING_SET", "NS", "NUMBER_SET", "BS", "BINARY_SET");

    private final List<UpdateAction> actions = new ArrayList<>();
    private final DistinctPaths targets = new DistinctPaths(problems);
    private final Set<String> sections = new HashSet<>();

    UpdateBuilder(String text, TokenStream tokens, Substitutions substitutions) {
        super("UpdateExpression", text, tokens, substitutions);
    }

    UpdateExpr build(UpdateExpressionContext tree) {
        for (UpdateClauseContext clause : tree.updateClause()) clause(clause);
        problems.throwIfAny(parameterName, Problems.UPDATE_ORDER);
        return new UpdateExpr(actions);
    }

    private void clause(UpdateClauseContext ctx) {
        String keyword = ctx.getStart().getText().toUpperCase(Locale.ROOT);
        if (!sections.add(keyword)) {
            problems.report(Problems.Kind.DUPLICATE_SECTION,
                    "The \"" + keyword + "\" section can only be used once in an update expression;");
        }
        switch (ctx) {
            case SetClauseContext set -> {
                for (SetActionContext a : set.setAction()) {
                    Path target = target(a.path());
                    actions.add(new UpdateAction.Set(target, setValue(a.setValue())));
                }
            }
            case RemoveClauseContext remove -> {
                for (PathContext p : remove.path()) actions.add(new UpdateAction.Remove(target(p)));
            }
            case AddClauseContext add -> {
                for (ValueActionContext a : add.valueAction()) {
                    Path target = target(a.path());
                    Operand.ValueOperand value = valueOf(a, "ADD");
                    actions.add(new UpdateAction.Add(target, value));
                }
            }
            case DeleteClauseContext delete -> {
                for (ValueActionContext a : delete.valueAction()) {
                    Path target = target(a.path());
                    Operand.ValueOperand value = valueOf(a, "DELETE");
                    actions.add(new UpdateAction.Delete(target, value));
                }
            }
            default -> throw new IllegalStateException("unexpected " + ctx.getClass().getSimpleName());
        }
    }

    private Path target(PathContext ctx) {
        Path path = path(ctx);
        targets.add(path);
        return path;
    }

    private Operand.ValueOperand valueOf(ValueActionContext ctx, String operator) {
        Operand operand = value(ctx.VALUE_REF().getSymbol());
        String type = typeOf(operand);
        if (type != null) {
            boolean ok = operator.equals("ADD")
                    ? type.equals("N") || type.equals("SS") || type.equals("NS") || type.equals("BS")
                    : type.equals("SS") || type.equals("NS") || type.equals("BS");
            if (!ok) {
                problems.report(Problems.Kind.OPERAND_TYPE, "Incorrect operand type for operator or function; operator: "
                        + operator + ", operand type: " + TYPE_NAMES.get(type));
            }
        }
        return (Operand.ValueOperand) operand;
    }

    private Operand setValue(SetValueContext ctx) {
        return switch (ctx) {
            case PlainValueContext plain -> setOperand(plain.setOperand());
            case ArithmeticValueContext arithmetic -> {
                Operand left = setOperand(arithmetic.setOperand(0));
                Operand right = setOperand(arithmetic.setOperand(1));
                Operand.Operator operator = arithmetic.PLUS() != null ? Operand.Operator.PLUS : Operand.Operator.MINUS;
                for (Operand o : List.of(left, right)) {
                    String type = typeOf(o);
                    if (type != null && !type.equals("N")) {
                        incorrectType(operator.symbol(), type);
                        break;
                    }
                }
                yield new Operand.Arithmetic(left, operator, right);
            }
            default -> throw new IllegalStateException("unexpected " + ctx.getClass().getSimpleName());
        };
    }

    private Operand setOperand(SetOperandContext ctx) {
        return switch (ctx) {
            case SetPathOperandContext p -> new Operand.PathOperand(path(p.path()));
            case SetValueOperandContext v -> value(v.VALUE_REF().getSymbol());
            case SetFunctionOperandContext f -> function(f);
            default -> throw new IllegalStateException("unexpected " + ctx.getClass().getSimpleName());
        };
    }

    private Operand function(SetFunctionOperandContext ctx) {
        String name = ctx.IDENT().getText();
        List<Operand> args = new ArrayList<>();
        for (SetOperandContext o : ctx.setOperand()) args.add(setOperand(o));
        if (!name.equals("if_not_exists") && !name.equals("list_append")) {
            problems.report(Problems.Kind.UNKNOWN_FUNCTION, CONDITION_FUNCTIONS.contains(name)
                    ? "The function is not allowed in an update expression; function: " + name
                    : "Invalid function name; function: " + name);
            return INVALID;
        }
        if (args.size() != 2) {
            problems.report(Problems.Kind.OPERAND_COUNT, "Incorrect number of operands for operator or function; "
                    + "operator or function: " + name + ", number of operands: " + args.size());
            return INVALID;
        }
        if (name.equals("if_not_exists")) {
            if (!(args.get(0) instanceof Operand.PathOperand path)) {
                problems.report(Problems.Kind.OPERAND_TYPE,
                        "Operator or function requires a document path; operator or function: " + name);
                return INVALID;
            }
            return new Operand.IfNotExists(path.path(), args.get(1));
        }
        for (Operand o : args) {
            String type = typeOf(o);
            if (type != null && !type.equals("L")) {
                incorrectType(name, type);
                return INVALID;
            }
        }
        return new Operand.ListAppend(args.get(0), args.get(1));
    }

    private void incorrectType(String function, String type) {
        problems.report(Problems.Kind.OPERAND_TYPE, "Incorrect operand type for operator or function; "
                + "operator or function: " + function + ", operand type: " + type);
    }
}
