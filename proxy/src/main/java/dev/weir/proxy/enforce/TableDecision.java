package dev.weir.proxy.enforce;

import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.proxy.enforce.read.ReadView;

/** The policy's decision for one table of a request, and the question it answered (for row filters bound to the caller). */
/**
 * One table's decision within a request: the decision of the request's own operation
 * ({@code allowed}, what the caller may do: for a write, what it may write), the request it
 * answered, and the caller's read view of the table ({@code view}): for a read, that same
 * decision; for anything else, what a GetItem by the caller on the table in the same context
 * would show (docs/threat-model.md, "The read view"). Every value that leaves toward the
 * caller goes through {@code view}, never through a write rule.
 */
record TableDecision(Allowed allowed, DecisionRequest request, ReadView view) {}
