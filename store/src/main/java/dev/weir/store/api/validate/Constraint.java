package dev.weir.store.api.validate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A constraint of DynamoDB's model on one member, with the words DynamoDB uses when a value
 * breaks it ({@code Member must have length greater than or equal to 3}). {@link #broken}
 * returns those words, or null when the value satisfies the constraint. Only {@link NotNull}
 * looks at a missing member; the others pass it.
 */
public sealed interface Constraint {
    String broken(JsonNode value);

    static Constraint notNull() {
        return NotNull.INSTANCE;
    }

    static Constraint pattern(String regex) {
        return new Matches(regex, Pattern.compile(regex));
    }

    static Constraint minLength(int n) {
        return new MinLength(n);
    }

    static Constraint maxLength(int n) {
        return new MaxLength(n);
    }

    static Constraint min(long n) {
        return new Min(n);
    }

    static Constraint max(long n) {
        return new Max(n);
    }

    static Constraint oneOf(String... values) {
        return new OneOf(List.of(values));
    }

    /** The length of a string (in UTF-16 units, as Java counts), list or map. */
    private static int length(JsonNode v) {
        return v.isTextual() ? v.textValue().length() : v.size();
    }

    enum NotNull implements Constraint {
        INSTANCE;

        public String broken(JsonNode value) {
            return value == null ? "Member must not be null" : null;
        }
    }

    record Matches(String regex, Pattern compiled) implements Constraint {
        public String broken(JsonNode value) {
            if (value == null || !value.isTextual() || compiled.matcher(value.textValue()).matches()) return null;
            return "Member must satisfy regular expression pattern: " + regex;
        }
    }

    record MinLength(int n) implements Constraint {
        public String broken(JsonNode value) {
            return value == null || length(value) >= n ? null : "Member must have length greater than or equal to " + n;
        }
    }

    record MaxLength(int n) implements Constraint {
        public String broken(JsonNode value) {
            return value == null || length(value) <= n ? null : "Member must have length less than or equal to " + n;
        }
    }

    record Min(long n) implements Constraint {
        public String broken(JsonNode value) {
            return value == null || !value.isNumber() || value.longValue() >= n ? null
                    : "Member must have value greater than or equal to " + n;
        }
    }

    record Max(long n) implements Constraint {
        public String broken(JsonNode value) {
            return value == null || !value.isNumber() || value.longValue() <= n ? null
                    : "Member must have value less than or equal to " + n;
        }
    }

    record OneOf(List<String> values) implements Constraint {
        public String broken(JsonNode value) {
            if (value == null || !value.isTextual() || values.contains(value.textValue())) return null;
            return "Member must satisfy enum value set: [" + String.join(", ", values) + "]";
        }
    }

    /**
     * Every key of a map member must satisfy {@code keys} (the table names of BatchGetItem and
     * BatchWriteItem); DynamoDB reports one violation per bad key, naming all the key constraints.
     * So it is applied to each key on its own ({@link ConstraintCheck}), not to the map.
     */
    record Keys(List<Constraint> keys) implements Constraint {
        /** Whether the map key {@code key} (a text node) breaks a key constraint: then every one is named. */
        public String broken(JsonNode key) {
            for (Constraint k : keys) if (k.broken(key) != null) return words();
            return null;
        }

        String words() {
            StringBuilder sb = new StringBuilder("Map keys must satisfy constraint: [");
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(describe(keys.get(i)));
            }
            return sb.append(']').toString();
        }

        private static String describe(Constraint c) {
            return switch (c) {
                case MinLength m -> "Member must have length greater than or equal to " + m.n();
                case MaxLength m -> "Member must have length less than or equal to " + m.n();
                case Matches m -> "Member must satisfy regular expression pattern: " + m.regex();
                default -> c.toString();
            };
        }
    }

    static Constraint keys(Constraint... keys) {
        return new Keys(List.of(keys));
    }
}
