package dev.weir.policy.check;

import dev.weir.policy.ast.Condition;
import dev.weir.policy.ast.Operand;
import dev.weir.policy.ast.Reference;
import dev.weir.policy.ast.SetExpr;
import dev.weir.policy.predicate.ConditionCompiler;
import dev.weir.policy.schema.TableSchema;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Types the conditions of {@code when}, {@code rows where} and {@code require} clauses and
 * reports what can never work: item attributes in a {@code when} (the item is not known when
 * the request is decided), unknown context values, comparisons across types (a string is
 * never equal to a number), ordering of addresses, times or collections, {@code ctx.time}
 * outside a time window, networks that are not declared, empty time windows, and a
 * certificate subject attribute ({@code ctx.tls.subject.ou}, a set of values) compared as if
 * it were one value.
 */
final class ConditionChecker {
    /** A static type; ANY for item attributes the schema does not describe. */
    enum Type {
        STRING("a string"), NUMBER("a number"), BOOL("a boolean"), NULL("null"), ADDRESS("an address"),
        TIME("a time"), LIST("a list or set"), MAP("a map"), BINARY("a binary value"),
        STRINGS("a principal attribute (strings)"), ANY("a value");

        final String label;

        Type(String label) {
            this.label = label;
        }
    }

    enum Where { WHEN, ROWS, REQUIRE }

    private final List<Diagnostic> diagnostics;
    private final Set<String> networks;
    private final Optional<TableSchema> schema;
    private final List<String> tables;
    private Where where;

    /** @param tables the rule's tables (empty for {@code *}), to type item attributes against the schema */
    ConditionChecker(List<Diagnostic> diagnostics, Set<String> networks, Optional<TableSchema> schema, List<String> tables) {
        this.diagnostics = diagnostics;
        this.networks = networks;
        this.schema = schema;
        this.tables = tables;
    }

    void check(Condition condition, Where where) {
        this.where = where;
        condition(condition);
    }

    private void condition(Condition c) {
        switch (c) {
            case Condition.And a -> { condition(a.left()); condition(a.right()); }
            case Condition.Or o -> { condition(o.left()); condition(o.right()); }
            case Condition.Not n -> condition(n.inner());
            case Condition.Constant k -> { }
            case Condition.Compare k -> {
                if (certificateAttribute(k.left(), k.right(), k.op() == dev.weir.policy.ast.Comparator.NE)
                        | certificateAttribute(k.right(), k.left(), k.op() == dev.weir.policy.ast.Comparator.NE)) {
                    return;
                }
                Type l = type(k.left()), r = type(k.right());
                boolean ordering = k.op() != dev.weir.policy.ast.Comparator.EQ && k.op() != dev.weir.policy.ast.Comparator.NE;
                if (l == Type.TIME || r == Type.TIME) {
                    error(k, "ctx.time is tested with a window, e.g. ctx.time in 07:00..19:00 \"Europe/Berlin\"");
                } else if (ordering && (!orderable(l) || !orderable(r))) {
                    error(k, "'" + k.op().symbol() + "' orders numbers or strings, not " + (orderable(l) ? r : l).label);
                } else if (!compatible(l, r)) {
                    error(k, "type error: cannot compare " + l.label + " with " + r.label + " (it is never "
                            + (k.op() == dev.weir.policy.ast.Comparator.NE ? "equal, so this is always true)" : "true)"));
                }
            }
            case Condition.Between b -> {
                if (certificateAttribute(b.value(), null, false) | certificateAttribute(b.low(), null, false)
                        | certificateAttribute(b.high(), null, false)) {
                    return;
                }
                Type v = type(b.value()), lo = type(b.low()), hi = type(b.high());
                if (!orderable(v) || !orderable(lo) || !orderable(hi) || !compatible(v, lo) || !compatible(v, hi) || !compatible(lo, hi)) {
                    error(b, "type error: between needs numbers or strings of one type, got " + v.label + ", "
                            + lo.label + " and " + hi.label);
                }
            }
            case Condition.In i -> in(i);
            case Condition.Call k -> call(k);
        }
    }

    private void in(Condition.In i) {
        boolean refused = certificateAttribute(i.value(), null, false);
        if (i.set() instanceof SetExpr.Listed l) {
            for (Operand e : l.elements()) refused |= certificateAttribute(e, i.value(), false);
        }
        if (refused) return;
        Type v = type(i.value());
        switch (i.set()) {
            case SetExpr.TimeWindow w -> {
                if (v != Type.TIME && v != Type.ANY) error(i, "type error: a time window tests ctx.time, not " + v.label);
                if (w.from().equals(w.to())) {
                    diagnostics.add(Diagnostic.warning(w.pos(), "the time window " + hhmm(w.from()) + ".." + hhmm(w.to())
                            + " is empty: this never holds"));
                }
            }
            case SetExpr.Network n -> {
                if (!networks.contains(n.name().text())) {
                    diagnostics.add(Diagnostic.error(n.pos(), "unknown network '" + n.name().text() + "'"
                            + Suggestions.hint(n.name().text(), networks)));
                }
                if (v != Type.ADDRESS && v != Type.ANY) error(i, "type error: a network holds addresses, not " + v.label);
            }
            case SetExpr.OfReference r -> {
                Type container = reference(r.ref());
                if (container != Type.LIST && container != Type.STRINGS && container != Type.ANY) {
                    error(i, "type error: 'in' needs a list or set on the right, not " + container.label);
                }
                if (v == Type.TIME || v == Type.ADDRESS) error(i, "type error: " + v.label + " is never in " + r.ref());
            }
            case SetExpr.Listed l -> {
                if (v == Type.TIME) error(i, "ctx.time is tested with a window, e.g. ctx.time in 07:00..19:00 \"Europe/Berlin\"");
                for (Operand e : l.elements()) {
                    Type t = type(e);
                    if (v == Type.ADDRESS && t != Type.ADDRESS) {
                        diagnostics.add(Diagnostic.error(e.pos(), "type error: an address is compared with CIDR blocks, not " + t.label));
                    } else if (v != Type.ADDRESS && !compatible(v, t)) {
                        diagnostics.add(Diagnostic.error(e.pos(), "type error: " + v.label + " is never equal to " + t.label));
                    }
                }
            }
        }
    }

    private void call(Condition.Call k) {
        int arity = k.function().equals("exists") ? 1 : 2;
        if (k.args().size() != arity) {
            error(k, k.function() + " takes " + arity + " argument" + (arity == 1 ? "" : "s"));
            return;
        }
        List<Type> types = new ArrayList<>();
        for (Operand o : k.args()) types.add(type(o));
        switch (k.function()) {
            case "exists" -> {
                if (!(k.args().getFirst() instanceof Operand.Ref)) error(k, "exists takes an item, principal or ctx value");
            }
            case "begins_with" -> {
                boolean refused = false;
                for (Operand o : k.args()) refused |= certificateAttribute(o, null, false);
                if (refused) return;
                for (Type t : types) {
                    if (!compatible(t, Type.STRING)) error(k, "type error: begins_with works on strings, not " + t.label);
                }
            }
            case "contains" -> {
                Type container = types.get(0);
                if (container != Type.STRING && container != Type.LIST && container != Type.STRINGS && container != Type.ANY) {
                    error(k, "type error: contains needs a string, list or set, not " + container.label);
                }
            }
            default -> { }
        }
    }

    private Type type(Operand o) {
        return switch (o) {
            case Operand.Str s -> Type.STRING;
            case Operand.Num n -> Type.NUMBER;
            case Operand.Bool b -> Type.BOOL;
            case Operand.Nul n -> Type.NULL;
            case Operand.Cidr c -> Type.ADDRESS;
            case Operand.Size s -> {
                Type t = reference(s.ref());
                if (t == Type.ADDRESS || t == Type.TIME || t == Type.NUMBER || t == Type.BOOL || t == Type.NULL) {
                    diagnostics.add(Diagnostic.error(s.pos(), "type error: size of " + t.label + " is not defined"));
                }
                yield Type.NUMBER;
            }
            case Operand.Ref r -> reference(r.ref());
        };
    }

    private Type reference(Reference ref) {
        List<String> keys = ref.keys();
        boolean plain = keys.size() == ref.steps().size();
        return switch (ref.root()) {
            case ITEM -> {
                if (where == Where.WHEN) {
                    diagnostics.add(Diagnostic.error(ref.pos(), "'" + ref + "': a 'when' clause is decided before any item is read;"
                            + " test items with 'rows where' or 'require'"));
                }
                if (keys.isEmpty()) {
                    diagnostics.add(Diagnostic.error(ref.pos(), "'item' needs an attribute, e.g. item.region"));
                    yield Type.ANY;
                }
                yield plain ? itemType(String.join(".", keys)) : Type.ANY;
            }
            case PRINCIPAL -> {
                if (keys.size() != 1 || !plain) {
                    diagnostics.add(Diagnostic.error(ref.pos(), "'" + ref + "': a principal has plain attributes, e.g. principal.region"));
                    yield Type.ANY;
                }
                yield switch (keys.getFirst()) {
                    case "name", "id" -> Type.STRING;
                    case "roles" -> Type.LIST;
                    default -> Type.STRINGS;
                };
            }
            case CTX -> {
                String path = String.join(".", keys);
                String pattern = keys.size() == 3 && (keys.get(0).equals("tls") && keys.get(1).equals("subject")
                        || keys.get(0).equals("table") && keys.get(1).equals("tags"))
                        ? keys.get(0) + "." + keys.get(1) + ".*" : path;
                if (!plain || !ConditionCompiler.CONTEXT_PATHS.contains(pattern)) {
                    diagnostics.add(Diagnostic.error(ref.pos(), "unknown context value '" + ref + "'"
                            + Suggestions.closest(path, ConditionCompiler.CONTEXT_PATHS).map(c -> " (did you mean 'ctx." + c + "'?)")
                            .orElse(" (known: " + String.join(", ", ConditionCompiler.CONTEXT_PATHS.stream().map(c -> "ctx." + c).toList()) + ")")));
                    yield Type.ANY;
                }
                yield switch (pattern) {
                    case "source" -> Type.ADDRESS;
                    case "time" -> Type.TIME;
                    case "tls.san", "tls.subject.*" -> Type.LIST;
                    default -> Type.STRING;
                };
            }
        };
    }

    /**
     * Refuses {@code operand} where one value is compared ({@code ==}, {@code !=}, ordering,
     * {@code between}, {@code begins_with}, either side of an {@code in [...]} list) if it is a
     * certificate subject attribute: that is the set of the attribute's values (a certificate
     * may carry several OUs, in an order of the issuer's choosing), so "equal to one string"
     * would hold or not by RDN order. Membership is what a policy means: the error says how to
     * write it, with {@code other} (the compared string, if a literal) in the example.
     * Returns whether it refused.
     */
    private boolean certificateAttribute(Operand operand, Operand other, boolean negated) {
        if (!(operand instanceof Operand.Ref r) || r.ref().root() != Reference.Root.CTX) return false;
        List<String> keys = r.ref().keys();
        if (keys.size() != 3 || keys.size() != r.ref().steps().size() || !keys.get(0).equals("tls")
                || !keys.get(1).equals("subject")) {
            return false;
        }
        String value = other instanceof Operand.Str s ? "\"" + s.value().replace("\\", "\\\\").replace("\"", "\\\"") + "\""
                : "\"batch\"";
        String membership = value + " in " + r.ref();
        diagnostics.add(Diagnostic.error(r.pos(), "'" + r.ref() + "' is the set of the certificate's "
                + keys.get(2).toUpperCase(java.util.Locale.ROOT) + " values (a certificate may carry several, in any order),"
                + " so it is not compared as one value: write " + (negated ? "not (" + membership + ")" : membership)));
        return true;
    }

    private Type itemType(String path) {
        if (schema.isEmpty() || tables.isEmpty()) return Type.ANY;
        Type found = null;
        for (String t : tables) {
            Optional<String> tag = schema.get().type(t, path);
            if (tag.isEmpty()) return Type.ANY;
            Type type = switch (tag.get()) {
                case "S" -> Type.STRING;
                case "N" -> Type.NUMBER;
                case "BOOL" -> Type.BOOL;
                case "NULL" -> Type.NULL;
                case "M" -> Type.MAP;
                case "B" -> Type.BINARY;
                default -> Type.LIST;
            };
            if (found != null && found != type) return Type.ANY;
            found = type;
        }
        return found == null ? Type.ANY : found;
    }

    private static boolean orderable(Type t) {
        return t == Type.NUMBER || t == Type.STRING || t == Type.STRINGS || t == Type.ANY;
    }

    private static boolean compatible(Type a, Type b) {
        if (a == Type.ANY || b == Type.ANY || a == b) return true;
        if (a == Type.STRINGS) return b == Type.STRING;
        if (b == Type.STRINGS) return a == Type.STRING;
        return false;
    }

    private void error(dev.weir.policy.ast.Node at, String message) {
        diagnostics.add(Diagnostic.error(at.pos(), message));
    }

    private static String hhmm(LocalTime t) {
        return t.equals(LocalTime.MAX) ? "24:00" : String.format("%02d:%02d", t.getHour(), t.getMinute());
    }
}
