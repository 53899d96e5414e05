package dev.weir.protocol.expr.parse;

import dev.weir.protocol.model.AttributeValue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A syntax tree built from a kept parse tree, with what its build read of the request's
 * placeholders: the name each {@code #ref} stood for and the type of each {@code :ref}'s value.
 *
 * <p>A builder's result and its checks depend on the parse tree (the text), the parameter's
 * name, the names the {@code #refs} stand for, the types of the values and, where a check says
 * so ({@link TreeBuilder#readValueContent}: BETWEEN's bounds, attribute_type's type name), the
 * values themselves; a value is otherwise only carried into the tree as
 * {@code ValueOperand(ref, value)}. So a later request with the same text, the same parameter,
 * the same names and values of the same types builds the same tree but for the values in its
 * ValueOperands: {@link #instantiate} gives that tree with the request's values put in, and null
 * whenever any of this does not hold (a name that differs or is missing, a value of another
 * type or missing), so that the caller builds anew. No template is made of a build that was
 * refused (a refusal comes from a full build, with its own message), that read a value's
 * content, or whose names are long.
 *
 * <p>A template keeps no request's values (its tree holds a stand-in where they go: one
 * principal's values never outlive its request in a shared cache), and names of at most
 * {@value #MAX_NAME_CHARS} characters in all (a name may be 64 KB; the cache holds thousands
 * of templates). Immutable once made; shared by every thread that parses the same text.
 */
final class BuildTemplate<R> {
    /** The most characters of resolved names one template keeps. */
    static final int MAX_NAME_CHARS = 512;
    /** What a template's tree holds where a request's value goes. */
    private static final AttributeValue STAND_IN = new AttributeValue.Null();

    private final String parameterName;
    private final R tree;
    private final String[] nameRefs;
    private final String[] names;
    private final String[] valueRefs;
    private final String[] valueTypes;

    private BuildTemplate(String parameterName, R tree, String[] nameRefs, String[] names, String[] valueRefs,
                          String[] valueTypes) {
        this.parameterName = parameterName;
        this.tree = tree;
        this.nameRefs = nameRefs;
        this.names = names;
        this.valueRefs = valueRefs;
        this.valueTypes = valueTypes;
    }

    /**
     * The tree for a request with {@code substitutions}, or null when it would not be this
     * template's. Resolves (and so marks as used) the placeholders the full build would.
     *
     * @param rebind the tree with each ValueOperand's value replaced by the request's for its placeholder
     */
    R instantiate(String parameterName, Substitutions substitutions, BiFunction<R, Values, R> rebind) {
        if (!this.parameterName.equals(parameterName)) return null;
        for (int i = 0; i < nameRefs.length; i++) {
            if (!names[i].equals(substitutions.name(nameRefs[i]))) return null;
        }
        if (valueRefs.length == 0) return tree;
        AttributeValue[] now = new AttributeValue[valueRefs.length];
        for (int i = 0; i < valueRefs.length; i++) {
            AttributeValue v = substitutions.value(valueRefs[i]);
            if (v == null || !v.typeTag().equals(valueTypes[i])) return null;
            now[i] = v;
        }
        return rebind.apply(tree, new Values(valueRefs, now));
    }

    /** The kept tree, stand-ins where values go (for tests). */
    R tree() {
        return tree;
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

        /**
         * The template of a build that succeeded with these substitutions, or null when none is
         * kept (a placeholder was undefined, a check read a value's content, the names are long).
         *
         * @param rebind as {@link #instantiate}'s: here it puts the stand-ins in
         */
        <R> BuildTemplate<R> template(String parameterName, R built, boolean valueContentRead, BiFunction<R, Values, R> rebind) {
            if (undefined || valueContentRead) return null;
            int chars = 0;
            for (String n : names.values()) chars += n.length();
            if (chars > MAX_NAME_CHARS) return null;
            String[] valueRefs = values.keySet().toArray(String[]::new);
            String[] types = new String[valueRefs.length];
            int i = 0;
            for (AttributeValue v : values.values()) types[i++] = v.typeTag();
            AttributeValue[] standIns = new AttributeValue[valueRefs.length];
            Arrays.fill(standIns, STAND_IN);
            R tree = valueRefs.length == 0 ? built : rebind.apply(built, new Values(valueRefs, standIns));
            return new BuildTemplate<>(parameterName, tree, names.keySet().toArray(String[]::new),
                    names.values().toArray(String[]::new), valueRefs, types);
        }
    }
}
