package dev.weir.policy;

import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.decision.PolicyFacts;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of loading a policy set.
 *
 * @param table       the compiled table, present exactly when there were no errors
 * @param diagnostics errors and warnings, sorted by file, line and column
 * @param contentHash SHA-256 (hex) over the policy files, see {@link PolicyLoader}
 */
public record LoadResult(Optional<DecisionTable> table, List<Diagnostic> diagnostics, String contentHash) {
    public LoadResult {
        diagnostics = List.copyOf(diagnostics);
    }

    /** True when the policy set compiled (warnings allowed). */
    public boolean ok() {
        return table.isPresent();
    }

    /** What the compiled policy reads besides the request; {@link PolicyFacts#NONE} when it did not compile. */
    public PolicyFacts facts() {
        return table.map(DecisionTable::facts).orElse(PolicyFacts.NONE);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }
}
