package dev.weir.policy.compile;

import dev.weir.policy.ast.Effect;
import dev.weir.policy.field.FieldGrant;

import java.util.Optional;

/** A rule reduced to what a decision needs. */
record CompiledRule(String id, Effect effect, Optional<String> reason, FieldGrant grant) {
}
