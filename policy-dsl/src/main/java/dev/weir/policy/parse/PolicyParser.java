package dev.weir.policy.parse;

import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.grammar.WeirPolicyLexer;
import dev.weir.policy.grammar.WeirPolicyParser;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Text to AST: runs the ANTLR lexer and parser, then the {@link AstBuilder}. */
public final class PolicyParser {
    private PolicyParser() {}

    /**
     * Parses one file. Syntax errors come back as diagnostics (nothing is printed); a
     * file with syntax errors yields no AST, so later steps never see half a file.
     *
     * @param file the file's name as it should appear in diagnostics and default rule ids
     */
    public static ParseResult parse(String file, String text) {
        SyntaxErrors errors = new SyntaxErrors(file);
        WeirPolicyLexer lexer = new WeirPolicyLexer(CharStreams.fromString(text, file));
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        WeirPolicyParser parser = new WeirPolicyParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        WeirPolicyParser.PolicyFileContext tree = parser.policyFile();
        if (!errors.diagnostics().isEmpty()) return new ParseResult(Optional.empty(), errors.diagnostics());

        List<Diagnostic> diagnostics = new ArrayList<>();
        PolicyFile ast = new AstBuilder(file, diagnostics).policyFile(tree);
        boolean failed = diagnostics.stream().anyMatch(Diagnostic::isError);
        return new ParseResult(failed ? Optional.empty() : Optional.of(ast), diagnostics);
    }
}
