package dev.weir.policy.parse;

import dev.weir.policy.ast.CidrBlock;
import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.Comparator;
import dev.weir.policy.ast.Condition;
import dev.weir.policy.ast.NetworkDecl;
import dev.weir.policy.ast.Operand;
import dev.weir.policy.ast.Reference;
import dev.weir.policy.ast.SetExpr;
import dev.weir.policy.ast.Declaration;
import dev.weir.policy.ast.Effect;
import dev.weir.policy.ast.FieldAction;
import dev.weir.policy.ast.FieldPath;
import dev.weir.policy.ast.Name;
import dev.weir.policy.ast.PathSegment;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.RoleDecl;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.ast.RuleId;
import dev.weir.policy.ast.Selector;
import dev.weir.policy.ast.SourcePos;
import dev.weir.policy.ast.Trigger;
import dev.weir.policy.ast.TriggerClause;
import dev.weir.policy.ast.TriggerSource;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.check.Suggestions;
import dev.weir.policy.grammar.WeirPolicyLexer;
import dev.weir.policy.grammar.WeirPolicyParser.*;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Optional;
import java.util.List;

/**
 * Turns an error-free parse tree into the immutable AST. This is the only class that sees
 * parse trees. It also resolves mask functions by name ({@code show_last(4)} becomes
 * {@link FieldAction.MaskShowLast}), reporting unknown functions and bad arguments.
 */
final class AstBuilder {
    static final List<String> MASK_FUNCTIONS =
            List.of("show_first", "show_last", "hash", "hmac", "unkeyed_sha256", "constant", "pattern", "round", "bucket");
    static final List<String> OPERAND_FUNCTIONS = List.of("size");
    static final List<String> ANNOTATIONS = List.of("id");

    private final String file;
    private final List<Diagnostic> diagnostics;

    AstBuilder(String file, List<Diagnostic> diagnostics) {
        this.file = file;
        this.diagnostics = diagnostics;
    }

    PolicyFile policyFile(PolicyFileContext ctx) {
        List<Declaration> declarations = new ArrayList<>();
        for (DeclarationContext d : ctx.declaration()) {
            if (d.roleDecl() != null) declarations.add(roleDecl(d.roleDecl()));
            else if (d.networkDecl() != null) declarations.add(networkDecl(d.networkDecl()));
            else if (d.triggerDecl() != null) declarations.add(trigger(d.triggerDecl()));
            else declarations.add(rule(d.ruleDecl()));
        }
        return new PolicyFile(file, declarations);
    }

    private RoleDecl roleDecl(RoleDeclContext ctx) {
        List<Name> parents = ctx.parents.stream().map(this::name).toList();
        return new RoleDecl(name(ctx.role), parents, pos(ctx));
    }

    private NetworkDecl networkDecl(NetworkDeclContext ctx) {
        List<CidrBlock> blocks = new ArrayList<>();
        for (CidrContext c : ctx.cidr()) cidr(c.getStart()).ifPresent(blocks::add);
        return new NetworkDecl(name(ctx.net), blocks, pos(ctx));
    }

    /** A CIDR or STRING token as a block, or an error. */
    private Optional<CidrBlock> cidr(Token token) {
        String text = token.getType() == WeirPolicyLexer.STRING ? string(token) : token.getText();
        CidrBlock.Result r = CidrBlock.parse(text);
        if (r.block().isEmpty()) diagnostics.add(Diagnostic.error(pos(token), r.error()));
        return r.block();
    }

    private Rule rule(RuleDeclContext ctx) {
        SourcePos pos = pos(ctx.effect());
        RuleId id = ruleId(ctx.annotation(), pos);
        Effect effect = ctx.effect().ALLOW() != null ? Effect.ALLOW : Effect.DENY;
        List<Clause> clauses = new ArrayList<>();
        for (ClauseContext c : ctx.clause()) {
            if (c instanceof RemoveListClauseContext list) {
                for (FieldPathContext p : list.fieldPath()) {
                    clauses.add(new Clause.Action(path(p), new FieldAction.Remove(), pos(list)));
                }
            } else {
                Clause clause = clause(c);
                if (clause != null) clauses.add(clause);
            }
        }
        return new Rule(effect, id, principals(ctx.principals()), tables(ctx.tables()),
                operations(ctx.operations()), clauses, pos);
    }

    private Trigger trigger(TriggerDeclContext ctx) {
        SourcePos pos = pos(ctx.TRIGGER().getSymbol());
        RuleId id = ruleId(ctx.annotation(), pos);
        List<TriggerClause> clauses = new ArrayList<>();
        for (TriggerClauseContext c : ctx.triggerClause()) {
            TriggerClause clause = triggerClause(c);
            if (clause != null) clauses.add(clause);
        }
        TriggerSource source = switch (ctx.triggerSource()) {
            case StreamSourceContext s -> new TriggerSource.Stream(name(s.table), pos(s));
            case RequestSourceContext r -> new TriggerSource.Request(name(r.kind), r.IDENT().stream().skip(1).map(this::name).toList(),
                    name(r.table), pos(r));
            case EverySourceContext e -> {
                SourcePos at = pos(e.cron);
                yield new TriggerSource.Every(string(e.cron), pos(e), new SourcePos(at.file(), at.line(), at.column() + 1));
            }
            default -> throw new IllegalStateException("unexpected " + ctx.triggerSource().getClass());
        };
        return new Trigger(id, source, clauses, pos);
    }

    private TriggerClause triggerClause(TriggerClauseContext ctx) {
        SourcePos at = pos(ctx);
        return switch (ctx) {
            case EventsClauseContext c -> new TriggerClause.Events(c.IDENT().stream().map(this::name).toList(), at);
            case TriggerRowsClauseContext c -> new TriggerClause.Rows(condition(c.condition()), at);
            case ChangedClauseContext c -> new TriggerClause.Changed(c.fieldPath().stream().map(this::path).toList(), at);
            case CallClauseContext c -> new TriggerClause.Call(string(c.STRING().getSymbol()), at);
            case RunAsClauseContext c -> new TriggerClause.RunAs(name(c.IDENT()), at);
            case BatchClauseContext c -> new TriggerClause.Batch(count(c.INT().getSymbol()), at);
            case RetryClauseContext c -> {
                Duration low = c.low == null ? null : duration(c.low);
                Duration high = c.high == null ? null : duration(c.high);
                yield new TriggerClause.Retry(count(c.INT().getSymbol()), low, high, at);
            }
            case MarkClauseContext c -> new TriggerClause.Mark(name(c.name()), at);
            default -> throw new IllegalStateException("unexpected " + ctx.getClass());
        };
    }

    /** A count as written; numbers beyond a long become Long.MAX_VALUE (the checker's range check reports them). */
    private static long count(Token token) {
        try {
            return Long.parseLong(token.getText());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** {@code 200ms}, {@code 30s}, {@code 5m}; reports any other unit and returns null. */
    private Duration duration(DurationContext ctx) {
        long n = count(ctx.INT().getSymbol());
        String unit = ctx.IDENT().getText();
        if (n > 1_000_000_000L) {
            diagnostics.add(Diagnostic.error(pos(ctx), "duration too large: " + ctx.getText()));
            return null;
        }
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> {
                diagnostics.add(Diagnostic.error(pos(ctx.IDENT().getSymbol()), "unknown unit '" + unit
                        + "' (a duration is a whole number of ms, s or m, e.g. 200ms)"));
                yield null;
            }
        };
    }

    /** The {@code @id} among the annotations, or {@code <file>:<line>} of {@code pos}; reports unknown and repeated ones. */
    private RuleId ruleId(List<AnnotationContext> annotations, SourcePos pos) {
        RuleId id = null;
        for (AnnotationContext a : annotations) {
            String key = a.key.getText();
            if (!key.equals("id")) {
                diagnostics.add(Diagnostic.error(pos(a), "unknown annotation '@" + key + "'"
                        + Suggestions.closest(key, ANNOTATIONS).map(c -> " (did you mean '@" + c + "'?)").orElse("")));
            } else if (id != null) {
                diagnostics.add(Diagnostic.error(pos(a), "a rule has at most one @id"));
            } else {
                id = new RuleId(string(a.value), true, pos(a));
            }
        }
        if (id == null) id = new RuleId(file + ":" + pos.line(), false, pos);
        return id;
    }

    private Selector principals(PrincipalsContext ctx) {
        return switch (ctx) {
            case AnyPrincipalContext c -> new Selector.Any(pos(c));
            case OnePrincipalContext c -> new Selector.Listed(List.of(name(c.IDENT())), pos(c));
            case PrincipalListContext c -> new Selector.Listed(c.IDENT().stream().map(this::name).toList(), pos(c));
            default -> throw new IllegalStateException("unexpected " + ctx.getClass());
        };
    }

    private Selector tables(TablesContext ctx) {
        return switch (ctx) {
            case AnyTableContext c -> new Selector.Any(pos(c));
            case OneTableContext c -> new Selector.Listed(List.of(name(c.name())), pos(c));
            case TableListContext c -> new Selector.Listed(c.name().stream().map(this::name).toList(), pos(c));
            default -> throw new IllegalStateException("unexpected " + ctx.getClass());
        };
    }

    private Selector operations(OperationsContext ctx) {
        return switch (ctx) {
            case AnyOperationContext c -> new Selector.Any(pos(c));
            case OneOperationContext c -> new Selector.Listed(List.of(name(c.IDENT())), pos(c));
            case OperationListContext c -> new Selector.Listed(c.IDENT().stream().map(this::name).toList(), pos(c));
            default -> throw new IllegalStateException("unexpected " + ctx.getClass());
        };
    }

    private Clause clause(ClauseContext ctx) {
        return switch (ctx) {
            case FieldsClauseContext c -> new Clause.Fields(c.fieldPath().stream().map(this::path).toList(), pos(c));
            case MaskClauseContext c -> {
                FieldAction action = maskFunction(c.maskFunction());
                yield action == null ? null : new Clause.Action(path(c.fieldPath()), action, pos(c));
            }
            case RemoveClauseContext c -> new Clause.Action(path(c.fieldPath()), new FieldAction.Remove(), pos(c));
            case RemoveListClauseContext c -> null; // expanded by clauses()
            case NullClauseContext c -> new Clause.Action(path(c.fieldPath()), new FieldAction.Null(), pos(c));
            case ReasonClauseContext c -> new Clause.Reason(string(c.STRING().getSymbol()), pos(c));
            case WhenClauseContext c -> new Clause.When(condition(c.condition()), pos(c));
            case RowsClauseContext c -> new Clause.Rows(condition(c.condition()), pos(c));
            case RequireClauseContext c -> new Clause.Require(condition(c.condition()), pos(c));
            default -> throw new IllegalStateException("unexpected " + ctx.getClass());
        };
    }

    /** Resolves {@code name(args)} to a field action, or reports why it cannot and returns null. */
    private FieldAction maskFunction(MaskFunctionContext ctx) {
        String fn = ctx.fn.getText();
        List<ArgumentContext> args = ctx.argument();
        SourcePos at = pos(ctx);
        for (ArgumentContext a : args) {
            if (a.key != null && !(fn.equals("hmac") && a.key.getText().equals("key"))) {
                diagnostics.add(Diagnostic.error(pos(a), fn + " takes no argument named '" + a.key.getText() + "'"));
                return null;
            }
        }
        switch (fn) {
            case "show_first", "show_last" -> {
                Integer count = args.size() == 1 ? smallInt(args.getFirst().literal()) : null;
                if (count == null) {
                    diagnostics.add(Diagnostic.error(at, fn + " takes one number, e.g. " + fn + "(4)"));
                    return null;
                }
                return fn.equals("show_first") ? new FieldAction.MaskShowFirst(count) : new FieldAction.MaskShowLast(count);
            }
            case "hash", "unkeyed_sha256" -> {
                if (!args.isEmpty()) {
                    diagnostics.add(Diagnostic.error(at, fn + " takes no arguments"));
                    return null;
                }
                return fn.equals("hash") ? new FieldAction.Hash() : new FieldAction.UnkeyedSha256();
            }
            case "hmac" -> {
                if (args.size() != 1 || !(args.getFirst().literal() instanceof StringLiteralContext s)) {
                    diagnostics.add(Diagnostic.error(at, "hmac takes the name of a key, e.g. hmac(key: \"pseudonym\")"));
                    return null;
                }
                return new FieldAction.Hmac(string(s.STRING().getSymbol()));
            }
            case "constant" -> {
                if (args.size() == 1 && args.getFirst().literal() instanceof StringLiteralContext s) {
                    return new FieldAction.Constant(string(s.STRING().getSymbol()));
                }
                if (args.size() == 1 && args.getFirst().literal() instanceof NumberLiteralContext n) {
                    return new FieldAction.ConstantNumber(new BigDecimal(n.getText()));
                }
                diagnostics.add(Diagnostic.error(at, "constant takes one string or number, e.g. constant(\"***\") or constant(0)"));
                return null;
            }
            case "pattern" -> {
                if (args.size() != 2 || !(args.get(0).literal() instanceof StringLiteralContext r)
                        || !(args.get(1).literal() instanceof StringLiteralContext w)) {
                    diagnostics.add(Diagnostic.error(at, "pattern takes a regular expression and its replacement, "
                            + "e.g. pattern(\"[0-9]\", \"#\")"));
                    return null;
                }
                String regex = string(r.STRING().getSymbol()), with = string(w.STRING().getSymbol());
                try {
                    java.util.regex.Pattern.compile(regex).matcher("").replaceAll(with);
                } catch (RuntimeException e) {
                    diagnostics.add(Diagnostic.error(pos(args.get(0)), "bad pattern: "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
                    return null;
                }
                return new FieldAction.Pattern(regex, with);
            }
            case "round", "bucket" -> {
                BigDecimal step = args.size() == 1 && args.getFirst().literal() instanceof NumberLiteralContext n
                        ? new BigDecimal(n.getText()) : null;
                if (step == null || step.signum() <= 0) {
                    diagnostics.add(Diagnostic.error(at, fn + " takes one positive number, e.g. " + fn + "(1000)"));
                    return null;
                }
                return fn.equals("round") ? new FieldAction.Round(step) : new FieldAction.Bucket(step);
            }
            default -> {
                diagnostics.add(Diagnostic.error(at, "unknown mask function '" + fn + "'"
                        + Suggestions.hint(fn, MASK_FUNCTIONS)));
                return null;
            }
        }
    }

    /** A non-negative int literal, or null (reporting numbers too large). */
    private Integer smallInt(LiteralContext literal) {
        if (!(literal instanceof NumberLiteralContext n) || n.number().DECIMAL() != null || n.number().getChildCount() > 1) {
            return null;
        }
        try {
            return Integer.parseInt(n.getText());
        } catch (NumberFormatException e) {
            diagnostics.add(Diagnostic.error(pos(n), "number too large: " + n.getText()));
            return 0;
        }
    }

    // ------------------------------------------------------------------ conditions

    private Condition condition(ConditionContext ctx) {
        SourcePos at = pos(ctx);
        return switch (ctx) {
            case ParenConditionContext c -> condition(c.condition());
            case NotConditionContext c -> new Condition.Not(condition(c.condition()), at);
            case AndConditionContext c -> new Condition.And(condition(c.condition(0)), condition(c.condition(1)), at);
            case OrConditionContext c -> new Condition.Or(condition(c.condition(0)), condition(c.condition(1)), at);
            case ConstantConditionContext c -> new Condition.Constant(c.TRUE() != null, at);
            case CompareConditionContext c -> new Condition.Compare(operand(c.left),
                    Comparator.of(c.comparator().getText()), operand(c.right), pos(c.comparator()));
            case InConditionContext c -> new Condition.In(operand(c.value), set(c.set()), pos(c.IN().getSymbol()));
            case BetweenConditionContext c -> new Condition.Between(operand(c.value), operand(c.low), operand(c.high),
                    pos(c.BETWEEN().getSymbol()));
            case CallConditionContext c -> {
                String fn = c.fn.getText();
                if (!Condition.FUNCTIONS.contains(fn)) {
                    diagnostics.add(Diagnostic.error(pos(c.fn), "unknown function '" + fn + "'"
                            + Suggestions.hint(fn, Condition.FUNCTIONS)));
                }
                yield new Condition.Call(fn, c.operand().stream().map(this::operand).toList(), pos(c.fn));
            }
            default -> throw new IllegalStateException("unexpected " + ctx.getClass());
        };
    }

    private Operand operand(OperandContext ctx) {
        SourcePos at = pos(ctx);
        return switch (ctx) {
            case ReferenceOperandContext c -> new Operand.Ref(reference(c.reference()), at);
            case FunctionOperandContext c -> {
                if (!c.fn.getText().equals("size")) {
                    diagnostics.add(Diagnostic.error(pos(c.fn), "unknown function '" + c.fn.getText() + "'"
                            + Suggestions.hint(c.fn.getText(), OPERAND_FUNCTIONS)
                            + (Condition.FUNCTIONS.contains(c.fn.getText()) ? ": it is a condition, not a value" : "")));
                }
                yield new Operand.Size(reference(c.reference()), at);
            }
            case NumberOperandContext c -> new Operand.Num(new BigDecimal(c.getText()), c.getText(), at);
            case StringOperandContext c -> new Operand.Str(string(c.STRING().getSymbol()), at);
            case BooleanOperandContext c -> new Operand.Bool(c.TRUE() != null, at);
            case NullOperandContext c -> new Operand.Nul(at);
            case CidrOperandContext c -> new Operand.Cidr(cidr(c.CIDR().getSymbol())
                    .orElse(new CidrBlock(new byte[4], 32)), at);
            default -> throw new IllegalStateException("unexpected " + ctx.getClass());
        };
    }

    private Reference reference(ReferenceContext ctx) {
        Reference.Root root = Reference.Root.of(ctx.root.getText());
        if (root == null) {
            diagnostics.add(Diagnostic.error(pos(ctx.root), "unknown name '" + ctx.root.getText()
                    + "': a value starts with item, principal or ctx"
                    + Suggestions.hint(ctx.root.getText(), List.of("item", "principal", "ctx"))));
            root = Reference.Root.ITEM;
        }
        List<Reference.Step> steps = new ArrayList<>();
        for (RefStepContext s : ctx.refStep()) {
            switch (s) {
                case KeyStepContext k -> steps.add(new Reference.Step.Key(nameText(k.name())));
                case IndexStepContext i -> {
                    int index;
                    try {
                        index = Integer.parseInt(i.INT().getText());
                    } catch (NumberFormatException e) {
                        diagnostics.add(Diagnostic.error(pos(i), "index too large: " + i.INT().getText()));
                        index = 0;
                    }
                    steps.add(new Reference.Step.Index(index));
                }
                default -> throw new IllegalStateException("unexpected " + s.getClass());
            }
        }
        return new Reference(root, steps, pos(ctx));
    }

    private SetExpr set(SetContext ctx) {
        SourcePos at = pos(ctx);
        return switch (ctx) {
            case ListSetContext c -> new SetExpr.Listed(c.operand().stream().map(this::operand).toList(), at);
            case TimeSetContext c -> {
                LocalTime from = time(c.from), to = time(c.to);
                Optional<String> zone = Optional.ofNullable(c.zone).map(AstBuilder::string);
                zone.ifPresent(z -> {
                    try {
                        ZoneId.of(z);
                    } catch (DateTimeException e) {
                        diagnostics.add(Diagnostic.error(pos(c.zone), "unknown time zone '" + z + "'"));
                    }
                });
                yield new SetExpr.TimeWindow(from, to, zone, at);
            }
            case ReferenceSetContext c -> {
                ReferenceContext r = c.reference();
                if (r.refStep().isEmpty() && Reference.Root.of(r.root.getText()) == null) {
                    yield new SetExpr.Network(name(r.root), at);
                }
                yield new SetExpr.OfReference(reference(r), at);
            }
            default -> throw new IllegalStateException("unexpected " + ctx.getClass());
        };
    }

    private LocalTime time(Token token) {
        String[] hm = token.getText().split(":");
        try {
            int h = Integer.parseInt(hm[0]), m = Integer.parseInt(hm[1]);
            if (hm[0].length() <= 2 && hm[1].length() == 2 && h == 24 && m == 0) return LocalTime.MAX;
            if (hm[0].length() <= 2 && hm[1].length() == 2 && h < 24 && m < 60) return LocalTime.of(h, m);
        } catch (NumberFormatException e) {
            // reported below
        }
        diagnostics.add(Diagnostic.error(pos(token), "not a time of day (HH:MM, 00:00 to 24:00): " + token.getText()));
        return LocalTime.MIDNIGHT;
    }

    private FieldPath path(FieldPathContext ctx) {
        List<PathSegment> segments = new ArrayList<>();
        for (PathSegmentContext s : ctx.pathSegment()) {
            segments.add(s.name() != null ? new PathSegment.Attribute(nameText(s.name())) : new PathSegment.AnyAttribute());
            for (int i = 0; i < s.STAR().size() - (s.name() != null ? 0 : 1); i++) segments.add(new PathSegment.AnyElement());
        }
        return new FieldPath(segments, pos(ctx));
    }

    private Name name(NameContext ctx) {
        return new Name(nameText(ctx), pos(ctx));
    }

    private Name name(TerminalNode node) {
        return name(node.getSymbol());
    }

    private Name name(Token token) {
        return new Name(token.getText(), pos(token));
    }

    private static String nameText(NameContext ctx) {
        return ctx.STRING() != null ? string(ctx.STRING().getSymbol()) : ctx.getText();
    }

    /** The text of a STRING token without quotes, with {@code \"}, {@code \\}, {@code \n}, {@code \t} unescaped. */
    static String string(Token token) {
        String raw = token.getText();
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() - 1) {
                char e = raw.charAt(++i);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private SourcePos pos(ParserRuleContext ctx) {
        return pos(ctx.getStart());
    }

    private SourcePos pos(Token token) {
        return new SourcePos(file, token.getLine(), token.getCharPositionInLine() + 1);
    }
}
