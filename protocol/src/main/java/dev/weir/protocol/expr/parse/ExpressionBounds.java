package dev.weir.protocol.expr.parse;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.grammar.DynamoExpressionLexer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

import java.util.List;

/**
 * DynamoDB's bound on an expression's operators, and weir's on its nesting, checked on the
 * tokens (one linear pass after lexing) before the parser sees them.
 *
 * <p>The parser is recursive descent with adaptive prediction: within 4 KB, 2,000 nested
 * parentheses overflowed a thread's stack after seconds of prediction, and 450 nested
 * {@code OR (...)} took a quarter of a second. Every expression DynamoDB accepts fits both
 * bounds below, so they cost a client nothing:
 * <ul>
 *   <li>at most {@value #MAX_OPERATORS} operators and functions ("The maximum number of
 *       operators or functions allowed in an expression is 300", DynamoDB's message on the
 *       301st: "The expression contains too many operators; operator count: 301"). Counted:
 *       the comparators {@code = <> < <= > >=} of conditions (not the {@code =} of a SET,
 *       which is assignment), {@code AND}, {@code OR}, {@code NOT}, {@code BETWEEN} (its
 *       {@code AND} included), {@code IN}, every function call, and {@code +} and {@code -}.
 *       Parentheses, commas and paths are no operators.</li>
 *   <li>at most {@value #MAX_DEPTH} levels of parentheses (weir's bound). A level that is
 *       not redundant holds an operator or belongs to a function, so deeper nesting within
 *       300 operators means parentheses around parentheses, which DynamoDB refuses ("The
 *       expression has redundant parentheses"), or a syntax error (update and projection
 *       expressions have no grouping parentheses: the error names the first parenthesis
 *       that opens no function call).</li>
 * </ul>
 */
final class ExpressionBounds {
    static final int MAX_OPERATORS = 300;
    static final int MAX_DEPTH = 300;

    /** Which grammar the tokens are for: comparators are operators only in conditions. */
    enum Kind { CONDITION, UPDATE, PROJECTION }

    private ExpressionBounds() {}

    /** Refuses {@code tokens} (all of an expression's, lexed) over either bound, with DynamoDB's words. */
    static void check(String parameterName, String text, Kind kind, TokenStream stream, List<Token> tokens) {
        int operators = 0;
        int betweens = 0;
        int depth = 0;
        Token previous = null;
        Token stray = null;   // the first parenthesis that opens no function call
        for (Token t : tokens) {
            switch (t.getType()) {
                case DynamoExpressionLexer.EQ, DynamoExpressionLexer.NE, DynamoExpressionLexer.LT,
                     DynamoExpressionLexer.LE, DynamoExpressionLexer.GT, DynamoExpressionLexer.GE -> {
                    if (kind == Kind.CONDITION) operators++;
                }
                case DynamoExpressionLexer.OR, DynamoExpressionLexer.NOT, DynamoExpressionLexer.IN,
                     DynamoExpressionLexer.PLUS, DynamoExpressionLexer.MINUS -> operators++;
                case DynamoExpressionLexer.BETWEEN -> {
                    operators++;
                    betweens++;
                }
                case DynamoExpressionLexer.AND -> {
                    // the AND of a BETWEEN is part of it, not a conjunction
                    if (betweens > 0) betweens--;
                    else operators++;
                }
                case DynamoExpressionLexer.LPAREN -> {
                    if (previous != null && previous.getType() == DynamoExpressionLexer.IDENT) operators++;
                    else if (stray == null) stray = t;
                    if (operators <= MAX_OPERATORS && ++depth > MAX_DEPTH) {
                        throw tooDeep(parameterName, text, kind, stream, stray != null ? stray : t);
                    }
                }
                case DynamoExpressionLexer.RPAREN -> {
                    if (depth > 0) depth--;
                }
                default -> { }
            }
            if (operators > MAX_OPERATORS) {
                throw DynamoException.validation("Invalid " + parameterName
                        + ": The expression contains too many operators; operator count: " + operators);
            }
            previous = t;
        }
    }

    private static DynamoException tooDeep(String parameterName, String text, Kind kind, TokenStream stream, Token paren) {
        if (kind == Kind.CONDITION) {
            return DynamoException.validation("Invalid " + parameterName + ": The expression has redundant parentheses;");
        }
        return new SyntaxErrors(parameterName, text).at(paren, stream);
    }
}
