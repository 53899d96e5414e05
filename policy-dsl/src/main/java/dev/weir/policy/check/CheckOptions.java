package dev.weir.policy.check;

import dev.weir.policy.field.HmacKeys;
import dev.weir.policy.schema.TableSchema;

import java.util.Optional;

/**
 * What the checker checks against besides the policy text.
 *
 * @param schema the table schema, if the policy set has one
 * @param keys   the configured hmac keys: a mask naming another key is an error
 */
public record CheckOptions(Optional<TableSchema> schema, HmacKeys keys) {
    /** No schema; every hmac key name is accepted (tools that check without secrets). */
    public static final CheckOptions DEFAULT = new CheckOptions(Optional.empty(), HmacKeys.forTesting());
}
