package dev.weir.proxy.enforce;

import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;

/** The policy's decision for one table of a request, and the question it answered (for row filters bound to the caller). */
record TableDecision(Allowed allowed, DecisionRequest request) {}
