package dev.weir.policy.compile;

import dev.weir.policy.ast.Effect;
import dev.weir.policy.field.FieldGrant;
import dev.weir.policy.predicate.CompiledCondition;

import java.util.Optional;

/**
 * A rule reduced to what a decision needs.
 *
 * @param when    the {@code when} condition, or null
 * @param rows    the {@code rows where} condition, or null
 * @param require the {@code require} condition, or null
 */
record CompiledRule(String id, Effect effect, Optional<String> reason, FieldGrant grant,
                    CompiledCondition when, CompiledCondition rows, CompiledCondition require) {

    /** A deny that forbids the request outright (it has no {@code rows where}). */
    boolean forbids() {
        return effect == Effect.DENY && rows == null;
    }
}
