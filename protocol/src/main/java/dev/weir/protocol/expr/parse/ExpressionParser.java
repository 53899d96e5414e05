package dev.weir.protocol.expr.parse;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.ast.ConditionExpr;
import dev.weir.protocol.expr.ast.UpdateExpr;
import dev.weir.protocol.expr.grammar.DynamoExpressionLexer;
import dev.weir.protocol.expr.grammar.DynamoExpressionParser;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Text to syntax tree: checks an expression's size, parses it with the ANTLR grammar and
 * hands the parse tree to the builder of its kind. Nothing outside this package sees parse trees.
 */
public final class ExpressionParser {
    /** DynamoDB's limit on the length of one expression, in bytes. */
    public static final int MAX_EXPRESSION_BYTES = 4096;

    private ExpressionParser() {}

    /** Parses a ConditionExpression, FilterExpression or KeyConditionExpression ({@code parameterName}). */
    public static ConditionExpr condition(String parameterName, String text, Substitutions substitutions) {
        DynamoExpressionParser parser = parser(parameterName, text);
        DynamoExpressionParser.ConditionExpressionContext tree = parser.conditionExpression();
        return new ConditionBuilder(parameterName, text, parser.getTokenStream(), substitutions).build(tree);
    }

    /** Parses an UpdateExpression. */
    public static UpdateExpr update(String text, Substitutions substitutions) {
        DynamoExpressionParser parser = parser("UpdateExpression", text);
        DynamoExpressionParser.UpdateExpressionContext tree = parser.updateExpression();
        return new UpdateBuilder(text, parser.getTokenStream(), substitutions).build(tree);
    }

    /** Parses a ProjectionExpression into its paths, in the order written. */
    public static List<Path> projection(String text, Substitutions substitutions) {
        DynamoExpressionParser parser = parser("ProjectionExpression", text);
        DynamoExpressionParser.ProjectionExpressionContext tree = parser.projectionExpression();
        return new ProjectionBuilder(text, parser.getTokenStream(), substitutions).build(tree);
    }

    private static DynamoExpressionParser parser(String parameterName, String text) {
        if (text == null || text.isBlank()) {
            throw DynamoException.validation("Invalid " + parameterName + ": The expression can not be empty;");
        }
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_EXPRESSION_BYTES) {
            throw DynamoException.validation("Invalid " + parameterName
                    + ": Expression size has exceeded the maximum allowed size; expression size: " + size);
        }
        DynamoExpressionLexer lexer = new DynamoExpressionLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        DynamoExpressionParser parser = new DynamoExpressionParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(new SyntaxErrors(parameterName, text));
        return parser;
    }
}
