package dev.weir.protocol.expr.parse;

import dev.weir.protocol.error.DynamoException;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.BufferedTokenStream;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/**
 * Turns the first parser error into DynamoDB's message:
 * {@code Syntax error; token: "<offending>", near: "<previous token .. next token>"}.
 */
final class SyntaxErrors extends BaseErrorListener {
    private final String parameterName;
    private final String text;

    SyntaxErrors(String parameterName, String text) {
        this.parameterName = parameterName;
        this.text = text;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
        Token offending = offendingSymbol instanceof Token t ? t
                : e != null ? e.getOffendingToken() : null;
        TokenStream tokens = recognizer instanceof Parser p ? p.getTokenStream() : null;
        throw error(offending, tokens);
    }

    DynamoException error(Token offending, TokenStream tokens) {
        if (offending == null || tokens == null) {
            return DynamoException.validation("Invalid " + parameterName + ": Syntax error; token: \"<EOF>\", near: \""
                    + text.strip() + "\"");
        }
        if (tokens instanceof BufferedTokenStream buffered) buffered.fill();
        boolean eof = offending.getType() == Token.EOF;
        String tokenText = eof ? "<EOF>" : offending.getText();
        int index = offending.getTokenIndex();
        Token previous = index > 0 ? tokens.get(index - 1) : null;
        Token next = !eof && index + 1 < tokens.size() ? tokens.get(index + 1) : null;
        if (next != null && next.getType() == Token.EOF) next = null;
        int from = previous != null ? previous.getStartIndex() : eof ? text.length() : offending.getStartIndex();
        int to = next != null ? next.getStopIndex() + 1 : eof ? text.length() : offending.getStopIndex() + 1;
        String near = text.substring(Math.min(from, text.length()), Math.min(Math.max(from, to), text.length()));
        return DynamoException.validation("Invalid " + parameterName + ": Syntax error; token: \"" + tokenText
                + "\", near: \"" + near + "\"");
    }

    /** A syntax error at a token the builder found unacceptable (such as an index too large). */
    DynamoException at(Token token, TokenStream tokens) {
        return error(token, tokens);
    }
}
