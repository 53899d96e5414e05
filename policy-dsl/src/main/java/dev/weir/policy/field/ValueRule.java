package dev.weir.policy.field;

import dev.weir.policy.ast.FieldAction;
import dev.weir.protocol.model.AttributeValue;

import java.util.Map;

/**
 * What {@link FieldPlan#redact} does to one value, worked out from the plan alone
 * ({@link FieldPlan#rule}), so that a reader of raw bytes can show a value without decoding
 * it into the item model: copy it, skip it, mask it, or walk a map's entries and copy or skip
 * each. Exact: applying a rule as its cases say gives what {@code redact} gives, value for
 * value; where the outcome depends on more than the rule says, the rule is {@link Redacted}
 * and only {@code redact} decides. Immutable.
 */
public sealed interface ValueRule {

    /** Shown exactly as stored, whatever the value. */
    record Shown() implements ValueRule {}

    /** Never shown, whatever the value. */
    record Removed() implements ValueRule {}

    /**
     * Shown as {@link #apply} makes it: {@link Masking#apply} of the action, a map, list or set
     * masked as a whole. The plan's keys are resolved only when a value is masked, as
     * {@code redact} resolves them (a missing key fails then, not before).
     */
    record Masked(FieldAction action, HmacKeys keys) implements ValueRule {
        /** The value as the mask shows it. */
        public AttributeValue apply(AttributeValue value) {
            return Masking.apply(action, value, keys);
        }

        @Override public String toString() {
            return "Masked[" + action + "]";
        }
    }

    /**
     * A map shown entry by entry, in its order: the entry of key {@code k} by
     * {@code named.get(k)}, or by {@code others} when the key is not named; an entry whose rule
     * removes it is left out (an M with no entry left stays, empty).
     */
    record Entries(Map<String, ValueRule> named, ValueRule others) implements ValueRule {
        public Entries {
            named = Map.copyOf(named);
        }

        /** The rule of the entry with key {@code key}. */
        public ValueRule entry(String key) {
            ValueRule r = named.get(key);
            return r != null ? r : others;
        }
    }

    /**
     * The rule depends on the value's kind: {@code scalars} for S, N, B, BOOL and NULL,
     * {@code maps} for M, {@code others} for L, SS, NS and BS. Never {@link ByKind} again.
     */
    record ByKind(ValueRule scalars, ValueRule maps, ValueRule others) implements ValueRule {
        /** The rule for {@code value}'s kind. */
        public ValueRule of(AttributeValue value) {
            return switch (value) {
                case AttributeValue.M m -> maps;
                case AttributeValue.L l -> others;
                case AttributeValue.SS s -> others;
                case AttributeValue.NS s -> others;
                case AttributeValue.BS s -> others;
                default -> scalars;
            };
        }
    }

    /** Only {@link FieldPlan#redact} of the whole attribute decides (a list walked element by element, say). */
    record Redacted() implements ValueRule {}

    ValueRule SHOWN = new Shown();
    ValueRule REMOVED = new Removed();
    ValueRule REDACTED = new Redacted();
}
