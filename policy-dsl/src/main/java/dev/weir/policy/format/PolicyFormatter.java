package dev.weir.policy.format;

import dev.weir.policy.ast.Clause;
import dev.weir.policy.ast.Declaration;
import dev.weir.policy.ast.Trigger;
import dev.weir.policy.ast.TriggerClause;
import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.ast.Rule;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.grammar.WeirPolicyLexer;
import dev.weir.policy.parse.ParseResult;
import dev.weir.policy.parse.PolicyParser;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The canonical layout of a policy file ({@code ./weir policy fmt}). Comments are kept.
 * <ul>
 *   <li>every declaration starts a line at column 0; each {@code @annotation} has its own line;</li>
 *   <li>each clause of a rule starts a line indented by two spaces;</li>
 *   <li>tokens on a line are separated by one space, except inside paths ({@code a.b},
 *       {@code tags[*]}), before {@code , ) ]}, after {@code ( [ @}, in calls ({@code show_last(4)})
 *       around {@code ..}, and between a duration's number and unit ({@code 200ms});</li>
 *   <li>each clause of a trigger starts a line indented by two spaces, like a rule's;</li>
 *   <li>a blank line before a declaration is kept (one at most); none elsewhere;</li>
 *   <li>a comment on its own line stays on its own line, indented like what follows it; a
 *       comment after code stays after it, one space away;</li>
 *   <li>the file ends with exactly one newline.</li>
 * </ul>
 * Formatting is idempotent. The layout is found from the AST's positions (declaration and
 * clause starts) and the lexer's tokens; a file that does not parse is not formatted.
 */
public final class PolicyFormatter {
    private PolicyFormatter() {}

    /** The formatted text, or the parse errors. */
    public record Result(Optional<String> text, List<Diagnostic> diagnostics) {}

    public static Result format(String file, String text) {
        ParseResult parsed = PolicyParser.parse(file, text);
        if (parsed.file().isEmpty()) return new Result(Optional.empty(), parsed.diagnostics());
        return new Result(Optional.of(layout(parsed.file().get(), text)), parsed.diagnostics());
    }

    /** Where lines break: key "line:column" of a token → indent. */
    private static Map<String, Integer> breaks(PolicyFile ast) {
        Map<String, Integer> out = new HashMap<>();
        for (Declaration d : ast.declarations()) {
            out.put(key(d.pos().line(), d.pos().column()), 0);
            if (d instanceof Rule r) {
                if (r.id().explicit()) out.put(key(r.id().pos().line(), r.id().pos().column()), 0);
                for (Clause c : r.clauses()) out.put(key(c.pos().line(), c.pos().column()), 2);
            } else if (d instanceof Trigger t) {
                if (t.id().explicit()) out.put(key(t.id().pos().line(), t.id().pos().column()), 0);
                for (TriggerClause c : t.clauses()) out.put(key(c.pos().line(), c.pos().column()), 2);
            }
        }
        return out;
    }

    private static String key(int line, int column) {
        return line + ":" + column;
    }

    private static String layout(PolicyFile ast, String text) {
        Map<String, Integer> breaks = breaks(ast);
        WeirPolicyLexer lexer = new WeirPolicyLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<? extends Token> tokens = lexer.getAllTokens();
        StringBuilder out = new StringBuilder();
        Token previous = null;       // previous token of any kind written
        Token previousCode = null;   // previous default-channel token
        int currentIndent = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.getType() == WeirPolicyLexer.WS) continue;
            boolean comment = t.getType() == WeirPolicyLexer.COMMENT;
            String tokenText = comment ? t.getText().stripTrailing() : t.getText();
            if (comment) {
                boolean trailing = previous != null && previous.getLine() == t.getLine() && !out.isEmpty();
                if (trailing) {
                    out.append(' ').append(tokenText);
                } else {
                    Token next = nextCode(tokens, i);
                    Integer indent = next == null ? Integer.valueOf(0) : breaks.get(key(next.getLine(), next.getCharPositionInLine() + 1));
                    int level = indent != null ? indent : currentIndent + 2;
                    newline(out, previous, t, next != null && indent != null && indent == 0);
                    out.append(" ".repeat(level)).append(tokenText);
                }
                previous = t;
                continue;
            }
            Integer indent = breaks.get(key(t.getLine(), t.getCharPositionInLine() + 1));
            if (out.isEmpty()) {
                out.append(indent == null ? "" : " ".repeat(indent));
                currentIndent = indent == null ? 0 : indent;
            } else if (indent != null) {
                newline(out, previous, t, indent == 0);
                out.append(" ".repeat(indent));
                currentIndent = indent;
            } else if (previous != null && previous.getType() == WeirPolicyLexer.COMMENT) {
                out.append('\n').append(" ".repeat(currentIndent + 2));
            } else if (space(previousCode, t)) {
                out.append(' ');
            }
            out.append(tokenText);
            previous = t;
            previousCode = t;
        }
        String result = out.toString().stripTrailing();
        return result.isEmpty() ? "" : result + "\n";
    }

    private static Token nextCode(List<? extends Token> tokens, int from) {
        for (int j = from + 1; j < tokens.size(); j++) {
            int type = tokens.get(j).getType();
            if (type != WeirPolicyLexer.WS && type != WeirPolicyLexer.COMMENT) return tokens.get(j);
        }
        return null;
    }

    /** Ends the line; keeps one blank line before a top-level item if the source had one. */
    private static void newline(StringBuilder out, Token previous, Token next, boolean topLevel) {
        if (out.isEmpty()) return;
        out.append('\n');
        int previousEnd = previous == null ? 0 : previous.getLine() + (int) previous.getText().chars().filter(c -> c == '\n').count();
        if (topLevel && previous != null && next.getLine() - previousEnd > 1) out.append('\n');
    }

    private static final Set<String> OPEN = Set.of("[", "(", "@", ".", "..");
    private static final Set<String> DURATION_UNITS = Set.of("ms", "s", "m");
    private static final Set<String> CLOSE = Set.of("]", ")", ",", ".", "..", ":");

    private static boolean space(Token a, Token b) {
        if (a == null) return false;
        String x = a.getText(), y = b.getText();
        if (OPEN.contains(x) || CLOSE.contains(y)) return false;
        if (x.equals("-") && (b.getType() == WeirPolicyLexer.INT || b.getType() == WeirPolicyLexer.DECIMAL)) {
            return false;
        }
        if (a.getType() == WeirPolicyLexer.INT && b.getType() == WeirPolicyLexer.IDENT && DURATION_UNITS.contains(y)) {
            return false; // a trigger's back-off: 200ms
        }
        boolean nameLike = a.getType() == WeirPolicyLexer.IDENT || a.getType() == WeirPolicyLexer.STRING
                || a.getType() == WeirPolicyLexer.STAR || x.equals("]") || x.equals(")");
        if (y.equals("[") && nameLike) return false;
        if (y.equals("(") && a.getType() == WeirPolicyLexer.IDENT) return false;
        return true;
    }
}
