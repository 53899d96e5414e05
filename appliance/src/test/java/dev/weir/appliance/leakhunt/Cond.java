package dev.weir.appliance.leakhunt;

import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A condition of the generated policy ({@code rows where}, {@code require}), as the model
 * holds it: rendered into the policy text, and evaluated by the model itself with the
 * semantics docs/policy-language.md states (a comparison with an absent value is false except
 * {@code !=}; a string never equals a number; a principal attribute is a list of strings).
 * Only top-level item attributes are read, so the set an attribute belongs to is exact.
 */
sealed interface Cond {
    String render();

    boolean test(java.util.Map<String, AttributeValue> item, Principal p);

    /** The item attributes the condition reads. */
    void attributes(Set<String> into);

    /** The right-hand side of a comparison: a literal or a principal attribute. */
    sealed interface Operand {
        String render();

        /** The value for {@code p}; a principal attribute is its list of strings (null when absent). */
        Object value(Principal p);
    }

    record Lit(AttributeValue value) implements Operand {
        public String render() {
            return switch (value) {
                case AttributeValue.S s -> "\"" + s.value() + "\"";
                case AttributeValue.N n -> n.value();
                case AttributeValue.Bool b -> Boolean.toString(b.value());
                default -> throw new IllegalStateException("no literal for " + value);
            };
        }

        public Object value(Principal p) {
            return value;
        }
    }

    /** {@code principal.NAME}: {@code name} is the principal's name, anything else its attribute. */
    record PrincipalAttr(String name) implements Operand {
        public String render() {
            return "principal." + name;
        }

        public Object value(Principal p) {
            if (name.equals("name")) return List.of(p.name());
            return p.attributes().get(name);
        }
    }

    /** {@code item.a == x} or, negated, {@code item.a != x}. */
    record Eq(String attr, Operand right, boolean negated) implements Cond {
        public String render() {
            return "item." + attr + (negated ? " != " : " == ") + right.render();
        }

        public boolean test(java.util.Map<String, AttributeValue> item, Principal p) {
            return negated != equal(item.get(attr), right.value(p));
        }

        public void attributes(Set<String> into) {
            into.add(attr);
        }
    }

    /** {@code item.a OP n} for a number n; false unless the attribute is a number. */
    record Cmp(String attr, String op, long n) implements Cond {
        public String render() {
            return "item." + attr + " " + op + " " + n;
        }

        public boolean test(java.util.Map<String, AttributeValue> item, Principal p) {
            if (!(item.get(attr) instanceof AttributeValue.N v)) return false;
            int c = new BigDecimal(v.value()).compareTo(BigDecimal.valueOf(n));
            return switch (op) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> throw new IllegalStateException(op);
            };
        }

        public void attributes(Set<String> into) {
            into.add(attr);
        }
    }

    record Between(String attr, long low, long high) implements Cond {
        public String render() {
            return "item." + attr + " between " + low + " and " + high;
        }

        public boolean test(java.util.Map<String, AttributeValue> item, Principal p) {
            if (!(item.get(attr) instanceof AttributeValue.N v)) return false;
            BigDecimal x = new BigDecimal(v.value());
            return x.compareTo(BigDecimal.valueOf(low)) >= 0 && x.compareTo(BigDecimal.valueOf(high)) <= 0;
        }

        public void attributes(Set<String> into) {
            into.add(attr);
        }
    }

    /** {@code item.a in [literals]}. */
    record InList(String attr, List<Lit> values) implements Cond {
        public String render() {
            return "item." + attr + " in [" + values.stream().map(Lit::render).collect(Collectors.joining(", ")) + "]";
        }

        public boolean test(java.util.Map<String, AttributeValue> item, Principal p) {
            AttributeValue v = item.get(attr);
            for (Lit l : values) if (equal(v, l.value)) return true;
            return false;
        }

        public void attributes(Set<String> into) {
            into.add(attr);
        }
    }

    /** {@code item.a in principal.x}: a member of the principal's list. */
    record InPrincipal(String attr, String principalAttr) implements Cond {
        public String render() {
            return "item." + attr + " in principal." + principalAttr;
        }

        public boolean test(java.util.Map<String, AttributeValue> item, Principal p) {
            List<String> list = principalAttr.equals("name") ? List.of(p.name()) : p.attributes().get(principalAttr);
            if (list == null || !(item.get(attr) instanceof AttributeValue.S s)) return false;
            return list.contains(s.value());
        }

        public void attributes(Set<String> into) {
            into.add(attr);
        }
    }

    record Exists(String attr) implements Cond {
        public String render() {
            return "exists(item." + attr + ")";
        }

        public boolean test(java.util.Map<String, AttributeValue> item, Principal p) {
            return item.containsKey(attr);
        }

        public void attributes(Set<String> into) {
            into.add(attr);
        }
    }

    record Not(Cond inner) implements Cond {
        public String render() {
            return "not (" + inner.render() + ")";
        }

        public boolean test(java.util.Map<String, AttributeValue> item, Principal p) {
            return !inner.test(item, p);
        }

        public void attributes(Set<String> into) {
            inner.attributes(into);
        }
    }

    record And(Cond left, Cond right) implements Cond {
        public String render() {
            return "(" + left.render() + " and " + right.render() + ")";
        }

        public boolean test(java.util.Map<String, AttributeValue> item, Principal p) {
            return left.test(item, p) && right.test(item, p);
        }

        public void attributes(Set<String> into) {
            left.attributes(into);
            right.attributes(into);
        }
    }

    record Or(Cond left, Cond right) implements Cond {
        public String render() {
            return "(" + left.render() + " or " + right.render() + ")";
        }

        public boolean test(java.util.Map<String, AttributeValue> item, Principal p) {
            return left.test(item, p) || right.test(item, p);
        }

        public void attributes(Set<String> into) {
            left.attributes(into);
            right.attributes(into);
        }
    }

    /**
     * Equality as the policy language has it: both present, same type, equal (numbers by
     * value); a principal attribute (a list of strings) equals a string when it holds exactly
     * that one string.
     */
    static boolean equal(AttributeValue v, Object right) {
        if (v == null || right == null) return false;
        if (right instanceof List<?> list) {
            return list.size() == 1 && v instanceof AttributeValue.S s && s.value().equals(list.getFirst());
        }
        AttributeValue r = (AttributeValue) right;
        return switch (v) {
            case AttributeValue.S s -> r instanceof AttributeValue.S o && s.value().equals(o.value());
            case AttributeValue.N n -> r instanceof AttributeValue.N o
                    && new BigDecimal(n.value()).compareTo(new BigDecimal(o.value())) == 0;
            case AttributeValue.Bool b -> r instanceof AttributeValue.Bool o && b.value() == o.value();
            default -> false;
        };
    }
}
