package dev.weir.policy.check;

import dev.weir.policy.ast.SourcePos;

import java.util.Comparator;

/**
 * One message about a policy set, compiler style. Line and column are 1-based; both are 0
 * when the message is about a file or directory as a whole.
 */
public record Diagnostic(String file, int line, int column, Severity severity, String message) {

    /** Orders by file, line, column, then message, so reports are stable. */
    public static final Comparator<Diagnostic> ORDER = Comparator.comparing(Diagnostic::file)
            .thenComparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column)
            .thenComparing(Diagnostic::message);

    public static Diagnostic error(SourcePos pos, String message) {
        return new Diagnostic(pos.file(), pos.line(), pos.column(), Severity.ERROR, message);
    }

    public static Diagnostic warning(SourcePos pos, String message) {
        return new Diagnostic(pos.file(), pos.line(), pos.column(), Severity.WARNING, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code people.weir:12:7: error: unknown role 'analsyt' (did you mean 'analyst'?)} */
    public String headline() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        return where + ": " + severity.label() + ": " + message;
    }

    /**
     * The headline, then the source line and a caret under the column. Tabs before the
     * column are kept so the caret lines up. Without a source line (or a position) only
     * the headline is returned.
     */
    public String render(String sourceLine) {
        if (sourceLine == null || line <= 0 || column <= 0) return headline();
        StringBuilder caret = new StringBuilder();
        for (int i = 0; i < column - 1; i++) {
            caret.append(i < sourceLine.length() && sourceLine.charAt(i) == '\t' ? '\t' : ' ');
        }
        return headline() + "\n" + sourceLine + "\n" + caret + "^";
    }

    @Override public String toString() {
        return headline();
    }
}
