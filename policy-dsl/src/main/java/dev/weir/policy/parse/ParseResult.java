package dev.weir.policy.parse;

import dev.weir.policy.ast.PolicyFile;
import dev.weir.policy.check.Diagnostic;

import java.util.List;
import java.util.Optional;

/** A parsed file, or none when it had errors, and the errors found while parsing. */
public record ParseResult(Optional<PolicyFile> file, List<Diagnostic> diagnostics) {
    public ParseResult {
        diagnostics = List.copyOf(diagnostics);
    }
}
