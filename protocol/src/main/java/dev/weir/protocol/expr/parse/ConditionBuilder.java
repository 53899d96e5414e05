package dev.weir.protocol.expr.parse;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.Comparator;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.Operand;
import dev.weir.protocol.expr.eval.Values;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.BetweenContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.ComparisonContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.ConditionContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.ConditionExpressionContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.ConjunctionContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.FunctionConditionContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.FunctionContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.FunctionOperandContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.InContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.NegationContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.NotConditionContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.OperandContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.ParenConditionContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.ParenOperandContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.PathOperandContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.PredicateConditionContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.PredicateContext;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser.ValueOperandContext;
import dev.weir.protocol.model.AttributeValue;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.TokenStream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parse tree of a condition to {@link ConditionExpr}, with DynamoDB's semantic checks. */
final class ConditionBuilder extends TreeBuilder {
    static final int MAX_IN_OPERANDS = 100;
    private static final Map<String, Integer> ARITY = Map.of(
            "attribute_exists", 1, "attribute_not_exists", 1, "attribute_type", 2,
            "begins_with", 2, "contains", 2, "size", 1);
    private static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");
    private static final Set<String> TYPE_NAMES = Set.of("S", "N", "B", "NULL", "SS", "BOOL", "L", "BS", "NS", "M");

    /** An operand as built, remembering whether it was written as a function call. */
    private record Built(Operand operand, String function) {
        boolean isPath() { return operand instanceof Operand.PathOperand; }
    }

    ConditionBuilder(String parameterName, String text, TokenStream tokens, Substitutions substitutions) {
        super(parameterName, text, tokens, substitutions);
    }

    ConditionExpr build(ConditionExpressionContext tree) {
        ConditionExpr result = condition(tree.condition());
        problems.throwIfAny(parameterName, Problems.CONDITION_ORDER);
        return result;
    }

    private ConditionExpr condition(ConditionContext ctx) {
        ConditionExpr result = null;
        for (ConjunctionContext c : ctx.conjunction()) {
            ConditionExpr next = conjunction(c);
            result = result == null ? next : new ConditionExpr.Or(result, next);
        }
        return result;
    }

    private ConditionExpr conjunction(ConjunctionContext ctx) {
        ConditionExpr result = null;
        for (NegationContext n : ctx.negation()) {
            ConditionExpr next = negation(n);
            result = result == null ? next : new ConditionExpr.And(result, next);
        }
        return result;
    }

    private ConditionExpr negation(NegationContext ctx) {
        return switch (ctx) {
            case NotConditionContext not -> new ConditionExpr.Not(negation(not.negation()));
            case PredicateConditionContext p -> predicate(p.predicate());
            default -> throw new IllegalStateException("unexpected " + ctx.getClass().getSimpleName());
        };
    }

    private ConditionExpr predicate(PredicateContext ctx) {
        return switch (ctx) {
            case ParenConditionContext paren -> {
                checkParentheses(paren);
                yield condition(paren.condition());
            }
            case ComparisonContext cmp -> {
                Comparator comparator = Comparator.ofSymbol(cmp.comparator().getText());
                Built left = operand(cmp.operand(0));
                Built right = operand(cmp.operand(1));
                checkMisused(List.of(left, right));
                checkDistinct(comparator.symbol(), List.of(left, right));
                yield new ConditionExpr.Compare(comparator, left.operand(), right.operand());
            }
            case BetweenContext between -> {
                Built operand = operand(between.operand(0));
                Built low = operand(between.operand(1));
                Built high = operand(between.operand(2));
                checkMisused(List.of(operand, low, high));
                checkBounds(low.operand(), high.operand());
                yield new ConditionExpr.Between(operand.operand(), low.operand(), high.operand());
            }
            case InContext in -> {
                List<Built> all = new ArrayList<>();
                for (OperandContext o : in.operand()) all.add(operand(o));
                checkMisused(all);
                int candidates = all.size() - 1;
                if (candidates > MAX_IN_OPERANDS) {
                    problems.report(Problems.Kind.TOO_MANY_IN,
                            "The IN operator is provided with too many operands; number of operands: " + candidates);
                }
                yield new ConditionExpr.In(all.getFirst().operand(),
                        all.subList(1, all.size()).stream().map(Built::operand).toList());
            }
            case FunctionConditionContext f -> functionCondition(f.function());
            default -> throw new IllegalStateException("unexpected " + ctx.getClass().getSimpleName());
        };
    }

    private ConditionExpr functionCondition(FunctionContext ctx) {
        String name = ctx.IDENT().getText();
        List<Built> args = arguments(ctx);
        if (!checkFunction(name, args)) return new ConditionExpr.AttributeExists(Path.of("<invalid>"));
        return switch (name) {
            case "attribute_exists" -> new ConditionExpr.AttributeExists(pathOf(args.getFirst()));
            case "attribute_not_exists" -> new ConditionExpr.AttributeNotExists(pathOf(args.getFirst()));
            case "attribute_type" -> new ConditionExpr.AttributeType(pathOf(args.get(0)), args.get(1).operand());
            case "begins_with" -> new ConditionExpr.BeginsWith(args.get(0).operand(), args.get(1).operand());
            case "contains" -> new ConditionExpr.Contains(args.get(0).operand(), args.get(1).operand());
            default -> { // size(...) alone is not a condition
                problems.report(Problems.Kind.MISUSED_FUNCTION,
                        "The function is not allowed to be used this way in an expression; function: " + name);
                yield new ConditionExpr.AttributeExists(Path.of("<invalid>"));
            }
        };
    }

    private Built operand(OperandContext ctx) {
        return switch (ctx) {
            case PathOperandContext p -> new Built(new Operand.PathOperand(path(p.path())), null);
            case ValueOperandContext v -> new Built(value(v.VALUE_REF().getSymbol()), null);
            case ParenOperandContext paren -> {
                checkParentheses(paren);
                yield operand(paren.operand());
            }
            case FunctionOperandContext f -> {
                String name = f.function().IDENT().getText();
                List<Built> args = arguments(f.function());
                boolean valid = checkFunction(name, args);
                yield new Built(valid && name.equals("size") ? new Operand.Size(args.getFirst().operand()) : INVALID, name);
            }
            default -> throw new IllegalStateException("unexpected " + ctx.getClass().getSimpleName());
        };
    }

    private List<Built> arguments(FunctionContext ctx) {
        List<Built> args = new ArrayList<>();
        for (OperandContext o : ctx.operand()) args.add(operand(o));
        checkMisused(args);
        return args;
    }

    /** Checks a function call; true when it can be built. */
    private boolean checkFunction(String name, List<Built> args) {
        Integer arity = ARITY.get(name);
        if (arity == null) {
            problems.report(Problems.Kind.UNKNOWN_FUNCTION, UPDATE_FUNCTIONS.contains(name)
                    ? "The function is not allowed in a condition expression; function: " + name
                    : "Invalid function name; function: " + name);
            return false;
        }
        if (arity != args.size()) {
            problems.report(Problems.Kind.OPERAND_COUNT, "Incorrect number of operands for operator or function; "
                    + "operator or function: " + name + ", number of operands: " + args.size());
            return false;
        }
        checkDistinct(name, args);
        switch (name) {
            case "attribute_exists", "attribute_not_exists" -> {
                return requirePath(name, args.getFirst());
            }
            case "attribute_type" -> {
                if (!requirePath(name, args.getFirst())) return false;
                String type = typeOf(args.get(1).operand());
                if (!"S".equals(type)) {
                    incorrectType(name, type == null ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : type);
                    return false;
                }
                readValueContent();
                String typeName = ((AttributeValue.S) ((Operand.ValueOperand) args.get(1).operand()).value()).value();
                if (!TYPE_NAMES.contains(typeName)) {
                    problems.report(Problems.Kind.OPERAND_TYPE, "Invalid attribute type name found; type: " + typeName
                            + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
                    return false;
                }
            }
            case "begins_with" -> {
                for (Built arg : args) {
                    String type = typeOf(arg.operand());
                    if (type != null && !type.equals("S") && !type.equals("B")) {
                        incorrectType(name, type);
                        return false;
                    }
                }
            }
            case "size" -> {
                String type = typeOf(args.getFirst().operand());
                if (type != null && (type.equals("N") || type.equals("BOOL") || type.equals("NULL"))) {
                    incorrectType(name, type);
                    return false;
                }
            }
            default -> { }
        }
        return true;
    }

    private boolean requirePath(String function, Built arg) {
        if (arg.isPath()) return true;
        problems.report(Problems.Kind.OPERAND_TYPE,
                "Operator or function requires a document path; operator or function: " + function);
        return false;
    }

    private void incorrectType(String function, String type) {
        problems.report(Problems.Kind.OPERAND_TYPE, "Incorrect operand type for operator or function; "
                + "operator or function: " + function + ", operand type: " + type);
    }

    private static Path pathOf(Built built) {
        return ((Operand.PathOperand) built.operand()).path();
    }

    /** Condition functions (all but size) cannot be operands. */
    private void checkMisused(List<Built> operands) {
        for (Built b : operands) {
            if (b.function() != null && !b.function().equals("size")) {
                problems.report(Problems.Kind.MISUSED_FUNCTION,
                        "The function is not allowed to be used this way in an expression; function: " + b.function());
                return;
            }
        }
    }

    private void checkDistinct(String operator, List<Built> operands) {
        if (operands.size() == 2 && operands.get(0).isPath() && operands.get(1).isPath()
                && operands.get(0).operand().equals(operands.get(1).operand())) {
            problems.report(Problems.Kind.DISTINCT, "The first operand must be distinct from the remaining operands "
                    + "for this operator or function; operator: " + operator + ", first operand: "
                    + pathOf(operands.get(0)).toMessageString());
        }
    }

    private void checkBounds(Operand low, Operand high) {
        if (!(low instanceof Operand.ValueOperand l) || !(high instanceof Operand.ValueOperand h)
                || low == INVALID || high == INVALID) {
            return;
        }
        readValueContent();
        String bounds = "lower bound operand: AttributeValue: {" + Values.describe(l.value())
                + "}, upper bound operand: AttributeValue: {" + Values.describe(h.value()) + "}";
        if (!l.value().typeTag().equals(h.value().typeTag())) {
            problems.report(Problems.Kind.OPERAND_TYPE,
                    "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
        } else if (Values.isOrdered(l.value()) && Values.compare(l.value(), h.value()) > 0) {
            problems.report(Problems.Kind.OPERAND_TYPE,
                    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " + bounds);
        }
    }

    /** DynamoDB refuses a parenthesised part that starts with two opening parentheses: {@code ((a = :v))}. */
    private void checkParentheses(ParserRuleContext ctx) {
        int start = ctx.getStart().getStartIndex();
        if (start + 1 < text.length() && text.charAt(start) == '(' && text.charAt(start + 1) == '(') {
            problems.report(Problems.Kind.REDUNDANT_PARENTHESES, "The expression has redundant parentheses;");
        }
    }
}
