package dev.weir.policy.parse;

import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.check.Severity;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;

import java.util.ArrayList;
import java.util.List;

/** Collects lexer and parser errors as diagnostics instead of printing them. */
final class SyntaxErrors extends BaseErrorListener {
    /** After this many errors in one file the rest are usually noise from recovery. */
    private static final int LIMIT = 20;

    private final String file;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    SyntaxErrors(String file) {
        this.file = file;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
                            int charPositionInLine, String msg, RecognitionException e) {
        if (diagnostics.size() < LIMIT) {
            diagnostics.add(new Diagnostic(file, Math.max(line, 1), charPositionInLine + 1, Severity.ERROR,
                    "syntax error: " + msg));
        }
    }

    List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }
}
