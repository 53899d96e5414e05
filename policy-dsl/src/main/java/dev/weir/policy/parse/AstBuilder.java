package dev.weir.policy.parse;

import dev.weir.policy.ast.Clause;
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
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.check.Suggestions;
import dev.weir.policy.grammar.WeirPolicyParser.*;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns an error-free parse tree into the immutable AST. This is the only class that sees
 * parse trees. It also resolves mask functions by name ({@code show_last(4)} becomes
 * {@link FieldAction.MaskShowLast}), reporting unknown functions and bad arguments.
 */
final class AstBuilder {
    static final List<String> MASK_FUNCTIONS = List.of("show_first", "show_last", "hash", "constant");
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
            declarations.add(d.roleDecl() != null ? roleDecl(d.roleDecl()) : rule(d.ruleDecl()));
        }
        return new PolicyFile(file, declarations);
    }

    private RoleDecl roleDecl(RoleDeclContext ctx) {
        List<Name> parents = ctx.parents.stream().map(this::name).toList();
        return new RoleDecl(name(ctx.role), parents, pos(ctx));
    }

    private Rule rule(RuleDeclContext ctx) {
        SourcePos pos = pos(ctx.effect());
        RuleId id = null;
        for (AnnotationContext a : ctx.annotation()) {
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
        Effect effect = ctx.effect().ALLOW() != null ? Effect.ALLOW : Effect.DENY;
        List<Clause> clauses = ctx.clause().stream().map(this::clause).filter(Objects::nonNull).toList();
        return new Rule(effect, id, principals(ctx.principals()), tables(ctx.tables()),
                operations(ctx.operations()), clauses, pos);
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
            case NullClauseContext c -> new Clause.Action(path(c.fieldPath()), new FieldAction.Null(), pos(c));
            case ReasonClauseContext c -> new Clause.Reason(string(c.STRING().getSymbol()), pos(c));
            default -> throw new IllegalStateException("unexpected " + ctx.getClass());
        };
    }

    /** Resolves {@code name(args)} to a field action, or reports why it cannot and returns null. */
    private FieldAction maskFunction(MaskFunctionContext ctx) {
        String fn = ctx.fn.getText();
        List<ArgumentContext> args = ctx.argument();
        SourcePos at = pos(ctx);
        for (ArgumentContext a : args) {
            if (a.key != null) {
                diagnostics.add(Diagnostic.error(pos(a), fn + " takes no named arguments"));
                return null;
            }
        }
        switch (fn) {
            case "show_first", "show_last" -> {
                if (args.size() != 1 || !(args.getFirst().literal() instanceof IntLiteralContext n)) {
                    diagnostics.add(Diagnostic.error(at, fn + " takes one number, e.g. " + fn + "(4)"));
                    return null;
                }
                int count;
                try {
                    count = Integer.parseInt(n.INT().getText());
                } catch (NumberFormatException e) {
                    diagnostics.add(Diagnostic.error(pos(n), "number too large: " + n.INT().getText()));
                    return null;
                }
                return fn.equals("show_first") ? new FieldAction.MaskShowFirst(count) : new FieldAction.MaskShowLast(count);
            }
            case "hash" -> {
                if (!args.isEmpty()) {
                    diagnostics.add(Diagnostic.error(at, "hash takes no arguments"));
                    return null;
                }
                return new FieldAction.Hash();
            }
            case "constant" -> {
                if (args.size() != 1 || !(args.getFirst().literal() instanceof StringLiteralContext s)) {
                    diagnostics.add(Diagnostic.error(at, "constant takes one string, e.g. constant(\"***\")"));
                    return null;
                }
                return new FieldAction.Constant(string(s.STRING().getSymbol()));
            }
            default -> {
                diagnostics.add(Diagnostic.error(at, "unknown mask function '" + fn + "'"
                        + Suggestions.hint(fn, MASK_FUNCTIONS)));
                return null;
            }
        }
    }

    private FieldPath path(FieldPathContext ctx) {
        List<PathSegment> segments = new ArrayList<>();
        for (PathSegmentContext s : ctx.pathSegment()) {
            segments.add(switch (s) {
                case AnySegmentContext a -> new PathSegment.AnyAttribute();
                case NamedSegmentContext n -> new PathSegment.Attribute(nameText(n.name()));
                default -> throw new IllegalStateException("unexpected " + s.getClass());
            });
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
