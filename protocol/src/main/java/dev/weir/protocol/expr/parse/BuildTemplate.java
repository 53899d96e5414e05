package dev.weir.protocol.expr.parse;

import dev.weir.protocol.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A syntax tree built from a kept parse tree, and what its build read of the request's
 * placeholders: the name each {@code #ref} stood for, the type of each {@code :ref}'s value,
 * and whether a check read a value's content (BETWEEN's bounds, attribute_type's type name).
 *
 * <p>A builder's result and its checks depend on the parse tree (the text), the parameter's
 * name, the names the {@code #refs} stand for, the types of the values and, where it says
 * so ({@link TreeBuilder#readValueContent}), the values themselves; a value is otherwise only
 * carried into the tree as {@code ValueOperand(ref, value)}. So a later request with the same
 * text, the same parameter, the same names, values of the same types (and equal values where
 * their content was read) builds the same tree but for the values in its ValueOperands:
 * {@link #instantiate} gives that tree with the request's values put in, and null whenever any
 * of this does not hold (a name that differs or is missing, a value of another type), so that
 * the caller builds anew. Only builds without problems become templates: an expression that is
 * refused is refused by a full build, with its own message.
 *
 * <p>Immutable once made; shared by every thread that parses the same text.
 */
final class BuildTemplate<R> {
    private final String parameterName;
    private final R result;
    private final String[] nameRefs;
    private final String[] names;
    private final String[] valueRefs;
    private final AttributeValue[] values;
    private final boolean valueContentRead;

    private BuildTemplate(String parameterName, R result, Map<String, String> names, Map<String, AttributeValue> values,
                          boolean valueContentRead) {
        this.parameterName = parameterName;
        this.result = result;
        this.nameRefs = names.keySet().toArray(String[]::new);
        this.names = names.values().toArray(String[]::new);
        this.valueRefs = values.keySet().toArray(String[]::new);
        this.values = values.values().toArray(AttributeValue[]::new);
        this.valueContentRead = valueContentRead;
    }

    /**
     * The tree for a request with {@code substitutions}, or null when it would not be this
     * template's. Resolves (and so marks as used) every placeholder the full build would.
     *
     * @param rebind the tree with each ValueOperand's value replaced by the request's for its placeholder
     */
    R instantiate(String parameterName, Substitutions substitutions, BiFunction<R, Values, R> rebind) {
        if (!this.parameterName.equals(parameterName)) return null;
        for (int i = 0; i < nameRefs.length; i++) {
            if (!names[i].equals(substitutions.name(nameRefs[i]))) return null;
        }
        if (valueRefs.length == 0) return result;
        AttributeValue[] now = new AttributeValue[valueRefs.length];
        for (int i = 0; i < valueRefs.length; i++) {
            AttributeValue v = substitutions.value(valueRefs[i]);
            if (v == null || !v.typeTag().equals(values[i].typeTag())) return null;
            if (valueContentRead && !v.equals(values[i])) return null;
            now[i] = v;
        }
        return rebind.apply(result, new Values(valueRefs, now));
    }

    /** A request's values for a template's placeholders (a few: looked up in order, no hashing). */
    record Values(String[] refs, AttributeValue[] values) {
        /** The value of {@code ref}; every placeholder of a template's tree has one. */
        AttributeValue of(String ref) {
            for (int i = 0; i < refs.length; i++) if (refs[i].equals(ref)) return values[i];
            throw new IllegalStateException("no value for " + ref + " in a template's substitutions");
        }
    }

    /** Substitutions that record what a build resolved, for a template of it. Not thread-safe: one per build. */
    static final class Recorder implements Substitutions {
        private final Substitutions request;
        private final Map<String, String> names = new LinkedHashMap<>();
        private final Map<String, AttributeValue> values = new LinkedHashMap<>();
        private boolean undefined;

        Recorder(Substitutions request) {
            this.request = request;
        }

        @Override public String name(String ref) {
            String name = request.name(ref);
            if (name == null) undefined = true;
            else names.put(ref, name);
            return name;
        }

        @Override public AttributeValue value(String ref) {
            AttributeValue value = request.value(ref);
            if (value == null) undefined = true;
            else values.put(ref, value);
            return value;
        }

        /** The template of a build that succeeded with these substitutions (null if anything was undefined). */
        <R> BuildTemplate<R> template(String parameterName, R result, boolean valueContentRead) {
            return undefined ? null : new BuildTemplate<>(parameterName, result, names, values, valueContentRead);
        }
    }
}
