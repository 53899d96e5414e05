package dev.weir.store.api;

import dev.weir.protocol.error.DynamoException;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects constraint violations of a request's members and reports them the way DynamoDB
 * does: {@code 2 validation errors detected: Value 'x' at 'tableName' failed to satisfy
 * constraint: ...; ...}, at most ten.
 */
public final class ValidationErrors {
    private static final int MAX = 10;
    private final List<String> errors = new ArrayList<>();

    /** Records that {@code value} (null for a missing member) at {@code path} breaks {@code constraint}. */
    public void add(Object value, String path, String constraint) {
        if (errors.size() >= MAX) return;
        String shown = value == null ? "null" : "'" + value + "'";
        errors.add("Value " + shown + " at '" + path + "' failed to satisfy constraint: " + constraint);
    }

    public void notNull(Object value, String path) {
        if (value == null) add(null, path, "Member must not be null");
    }

    public void length(String value, String path, int min, int max) {
        if (value == null) return;
        if (value.length() < min) add(value, path, "Member must have length greater than or equal to " + min);
        if (value.length() > max) add(value, path, "Member must have length less than or equal to " + max);
    }

    public void pattern(String value, String path, String regex) {
        if (value != null && !value.matches(regex)) {
            add(value, path, "Member must satisfy regular expression pattern: " + regex);
        }
    }

    public void oneOf(String value, String path, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            add(value, path, "Member must satisfy enum value set: [" + String.join(", ", allowed) + "]");
        }
    }

    public void range(Long value, String path, long min, long max) {
        if (value == null) return;
        if (value < min) add(value, path, "Member must have value greater than or equal to " + min);
        if (value > max) add(value, path, "Member must have value less than or equal to " + max);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public void throwIfAny() {
        if (errors.isEmpty()) return;
        int n = errors.size();
        throw DynamoException.validation(n + " validation error" + (n > 1 ? "s" : "") + " detected: "
                + String.join("; ", errors));
    }
}
