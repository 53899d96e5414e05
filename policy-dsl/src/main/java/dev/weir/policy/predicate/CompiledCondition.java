package dev.weir.policy.predicate;

import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.model.AttributeValue;

import java.util.Map;

/**
 * A condition ready to evaluate. Immutable and thread-safe. Conditions of {@code when}
 * clauses read only the request ({@code item} is null) and allocate nothing.
 */
public interface CompiledCondition {

    /** Always true. */
    CompiledCondition TRUE = new CompiledCondition() {
        public boolean test(Map<String, AttributeValue> item, DecisionRequest request) { return true; }
        @Override public String toString() { return "true"; }
    };

    /** Always false. */
    CompiledCondition FALSE = new CompiledCondition() {
        public boolean test(Map<String, AttributeValue> item, DecisionRequest request) { return false; }
        @Override public String toString() { return "false"; }
    };

    /**
     * @param item    the item, or null when deciding on the request alone
     * @param request the request, with the principal and context the condition may read
     */
    boolean test(Map<String, AttributeValue> item, DecisionRequest request);

    /** The condition as source text (canonical form). */
    @Override String toString();

    /**
     * The checked condition this was compiled from and the compiler that compiled it, so it
     * can be stated as a condition on the stored item ({@link Residual}); null for {@link #TRUE}
     * and {@link #FALSE}.
     */
    default Origin origin() {
        return null;
    }

    /** Where a compiled condition came from. */
    record Origin(dev.weir.policy.ast.Condition condition, ConditionCompiler compiler) {}
}
