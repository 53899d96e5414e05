/**
 * The weir policy language: role, context, field and content rules compiled into
 * immutable decision tables. The reference is {@code docs/policy-language.md}.
 *
 * <h2>Steps</h2>
 * {@code parse} (ANTLR grammar, then {@code AstBuilder}: the only code that sees parse trees)
 * → {@code ast} (records, sealed interfaces) → {@code check} (diagnostics, against an optional
 * {@code schema}) → {@code compile} → {@code decision} (the table, requests, contexts, row
 * filters) with {@code predicate} (compiled conditions) and {@code field} (field plans and
 * masking).
 *
 * <h2>Tools</h2>
 * {@code testing} (policy tests beside the policies, coverage), {@code format} (canonical
 * layout), {@code explain} (why a decision), {@code replay} (what a change would alter over an
 * audit log), {@code watch} (hot reload that publishes only tested policy sets).
 *
 * <h2>Entry points for the proxy</h2>
 * {@link dev.weir.policy.PolicyLoader#load(java.nio.file.Path)},
 * {@link dev.weir.policy.decision.DecisionTable#decide(dev.weir.policy.decision.DecisionRequest)},
 * {@link dev.weir.policy.decision.Allowed#rows()}, {@link dev.weir.policy.decision.Allowed#refusesWrite},
 * {@link dev.weir.policy.watch.PolicyWatcher}.
 */
package dev.weir.policy;
