package dev.weir.policy.field;

import dev.weir.policy.ast.FieldAction;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.model.AttributeValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a caller may see of an item, for one decision: the union of the matching allow
 * rules' field lists, with the strictest action per path. Immutable and thread-safe.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>A field is visible if any matching allow lists it (or a path above it), or has no
 *       {@code fields} clause. Fields that are not visible are removed.</li>
 *   <li>{@code address} and {@code address.*} both allow the whole map; {@code address.city}
 *       allows only that key of it (the map is kept with just the allowed keys; an
 *       {@code address} that is not a map is then removed).</li>
 *   <li>Per path the strictest action of all matching allows wins (see {@link Strictness}),
 *       and an action on a path applies to everything under it unless a stricter one is
 *       written further down: {@code remove address.street} removes just that key.</li>
 *   <li>A mask that reaches a map, list or set masks it as a whole, after removals,
 *       allow-lists and stricter actions below it have been applied: no key, element or
 *       count of it shows. {@code tags[*]} masks each element of a list or set instead.</li>
 *   <li>How each action changes a value is described in {@link Masking}.</li>
 * </ul>
 */
public final class FieldPlan {
    private static final FieldPlan IDENTITY =
            new FieldPlan(new PathNode(true, null, Map.of(), null, null, true, false), List.of(), List.of(), HmacKeys.none());

    private final PathNode root;
    private final List<String> maskedPaths;
    private final List<String> removedPaths;
    private final boolean identity;
    private final HmacKeys keys;

    FieldPlan(PathNode root, List<String> maskedPaths, List<String> removedPaths, HmacKeys keys) {
        this.keys = keys;
        this.root = root;
        this.maskedPaths = List.copyOf(maskedPaths);
        this.removedPaths = List.copyOf(removedPaths);
        this.identity = root.visible() && !root.restricted();
    }

    /** Everything visible, nothing masked. */
    public static FieldPlan identity() {
        return IDENTITY;
    }

    /** The plan for a set of matching allow rules; the order of {@code grants} does not matter. */
    public static FieldPlan of(List<FieldGrant> grants) {
        return of(grants, HmacKeys.none());
    }

    /** The same, with the keys its {@code hmac} masks use. */
    public static FieldPlan of(List<FieldGrant> grants, HmacKeys keys) {
        FieldPlanBuilder builder = new FieldPlanBuilder();
        grants.forEach(builder::add);
        return builder.build(keys);
    }

    /** True when every field is visible and nothing is masked: the item can pass unchanged. */
    public boolean isIdentity() {
        return identity;
    }

    /** Paths (as written in the policy) with a mask, hash, constant or null action; sorted. */
    public List<String> maskedPaths() {
        return maskedPaths;
    }

    /** Paths (as written in the policy) with a remove action; sorted. */
    public List<String> removedPaths() {
        return removedPaths;
    }

    /** The item as the caller may see it. Returns {@code item} itself when {@link #isIdentity()}. */
    public Map<String, AttributeValue> redact(Map<String, AttributeValue> item) {
        if (identity) return item;
        return Collections.unmodifiableMap(redactMap(root, item, root.visible(), root.action(), null, keys));
    }

    /** What a plan does to one top-level attribute, whatever its value: see {@link #treatment}. */
    public enum Treatment {
        /** The attribute is shown exactly as stored (its value, and everything under it). */
        SHOWN,
        /** The attribute is never shown. */
        REMOVED,
        /** What is shown depends on the value: {@link #redact} decides (masked, cut, or removed). */
        REDACTED
    }

    /**
     * What {@link #redact} does to the top-level attribute {@code name} of any item, judged on
     * the plan alone, so that a reader of raw bytes can copy a {@link Treatment#SHOWN} member
     * without decoding it and skip a {@link Treatment#REMOVED} one. Each top-level attribute is
     * redacted on its own: {@code redact} of an item is the union of {@code redact} of its
     * members one by one. Conservative: {@link Treatment#REDACTED} whenever unsure.
     */
    public Treatment treatment(String name) {
        return identity ? Treatment.SHOWN : treatment(root.child(name));
    }

    /** {@link #treatment} of every top-level attribute not in {@link #namedAttributes}. */
    public Treatment otherAttributes() {
        return identity ? Treatment.SHOWN : treatment(root.wildcard());
    }

    /** The top-level attributes the plan names on their own (others are treated alike: {@link #otherAttributes}). */
    public java.util.Set<String> namedAttributes() {
        return identity ? java.util.Set.of() : root.children().keySet();
    }

    /**
     * What {@link #redact} does to the value of the top-level attribute {@code name}, as a rule
     * a reader of raw bytes can follow without decoding the value ({@link ValueRule}): exact,
     * and {@link ValueRule.Redacted} wherever only {@code redact} can say. Agrees with
     * {@link #treatment}: {@link ValueRule.Shown} exactly when SHOWN, {@link ValueRule.Removed}
     * exactly when REMOVED.
     */
    public ValueRule rule(String name) {
        if (identity) return ValueRule.SHOWN;
        PathNode child = root.child(name);
        return child == null ? unnamed(root.visible(), root.action(), keys) : rule(child, root.visible(), root.action(), keys);
    }

    /** {@link #rule} of every top-level attribute not in {@link #namedAttributes}. */
    public ValueRule otherRule() {
        if (identity) return ValueRule.SHOWN;
        PathNode wildcard = root.wildcard();
        return wildcard == null ? unnamed(root.visible(), root.action(), keys) : rule(wildcard, root.visible(), root.action(), keys);
    }

    /** Mirrors {@link #redactMap} for a key with no node: {@code visible ? mask(action, null, value) : null}. */
    private static ValueRule unnamed(boolean visible, FieldAction action, HmacKeys keys) {
        if (!visible) return ValueRule.REMOVED;
        return Strictness.isShow(action) ? ValueRule.SHOWN : new ValueRule.Masked(action, keys);
    }

    /**
     * Mirrors {@link #redactValue} with no enclosing mask ({@code cover} null), step by step,
     * for each kind of value the node may meet.
     */
    private static ValueRule rule(PathNode node, boolean inheritedVisible, FieldAction inheritedAction, HmacKeys keys) {
        boolean visible = inheritedVisible || node.visible();
        FieldAction action = Strictness.stricter(inheritedAction, node.action());
        if (action instanceof FieldAction.Remove) return ValueRule.REMOVED;
        if (!visible && !node.anyVisible()) return ValueRule.REMOVED;
        if (action instanceof FieldAction.Null) return new ValueRule.Masked(action, keys);
        if (visible && !node.restricted() && Strictness.isShow(action)) return ValueRule.SHOWN;
        boolean show = Strictness.isShow(action);
        // S, N, B, BOOL, NULL: redactValue's element branch when the node has elements, else its last line
        ValueRule scalars = node.elements() != null ? elementRule(node, visible, action, keys)
                : !visible ? ValueRule.REMOVED : show ? ValueRule.SHOWN : new ValueRule.Masked(action, keys);
        // a container under a mask is masked whole after what lies below is redacted: the mask of
        // the value as stored only when nothing lies below (a leaf), else only redact knows the rest
        ValueRule wholeMask = node.isLeaf() ? new ValueRule.Masked(action, keys) : ValueRule.REDACTED;
        // M: masked whole, or entry by entry when the node names keys, or the element branch, or the last line
        ValueRule maps;
        if (!show) {
            maps = wholeMask;
        } else if (!node.children().isEmpty() || node.wildcard() != null) {
            FieldAction entries = node.elements() == null ? action : Strictness.stricter(action, node.elements().action());
            Map<String, ValueRule> named = new LinkedHashMap<>();
            node.children().forEach((k, c) -> named.put(k, rule(c, visible, entries, keys)));
            ValueRule others = node.wildcard() == null ? unnamed(visible, entries, keys) : rule(node.wildcard(), visible, entries, keys);
            maps = new ValueRule.Entries(named, others);
        } else if (node.elements() != null) {
            maps = elementRule(node, visible, action, keys);
        } else {
            maps = visible ? ValueRule.SHOWN : ValueRule.REMOVED;
        }
        // L, SS, NS, BS: masked whole; walked element by element (only redact does that); or the last line
        ValueRule others = !show ? wholeMask
                : node.elements() != null ? ValueRule.REDACTED
                : visible ? ValueRule.SHOWN : ValueRule.REMOVED;
        return new ValueRule.ByKind(scalars, maps, others);
    }

    /** Mirrors {@link #redactValue}'s branch for a node with elements and a value that is not a list or set. */
    private static ValueRule elementRule(PathNode node, boolean visible, FieldAction action, HmacKeys keys) {
        FieldAction element = Strictness.stricter(action, node.elements().action());
        if (element instanceof FieldAction.Remove) return ValueRule.REMOVED;
        if (element instanceof FieldAction.Null) return new ValueRule.Masked(element, keys);
        if (!(visible || node.elements().visible())) return ValueRule.REMOVED;
        return Strictness.isShow(element) ? ValueRule.SHOWN : new ValueRule.Masked(element, keys);
    }

    /** Mirrors {@link #redactMap} and {@link #redactValue} for one top-level entry whose node is {@code child}. */
    private Treatment treatment(PathNode child) {
        boolean visible = root.visible();
        FieldAction action = root.action();
        if (child == null) {
            if (!visible) return Treatment.REMOVED;
            return masks(action, null) ? Treatment.REDACTED : Treatment.SHOWN;
        }
        boolean shown = visible || child.visible();
        FieldAction own = Strictness.stricter(action, child.action());
        if (own instanceof FieldAction.Remove) return Treatment.REMOVED;
        if (!shown && !child.anyVisible()) return Treatment.REMOVED;
        if (shown && !child.restricted() && Strictness.isShow(own)) return Treatment.SHOWN;
        return Treatment.REDACTED;
    }

    /**
     * Whether the value at a path is visible and unmasked in full, including everything
     * under it; a filter or condition may only test such paths. The path is dotted
     * ({@code address.city}); list indexes ({@code tags[0]}) are ignored, which is safe
     * because an action on a list applies to all its elements.
     */
    public boolean canReadInClear(String path) {
        PathNode node = root;
        boolean visible = root.visible();
        FieldAction action = root.action();
        for (String raw : path.split("\\.", -1)) {
            int bracket = raw.indexOf('[');
            String segment = bracket < 0 ? raw : raw.substring(0, bracket);
            int indexes = 0;
            for (int i = 0; i < raw.length(); i++) if (raw.charAt(i) == '[') indexes++;
            PathNode child = node.child(segment);
            for (int i = 0; i < indexes && child != null; i++) {
                visible |= child.visible();
                action = Strictness.stricter(action, child.action());
                if (child.elements() == null) break;
                child = child.elements();
            }
            if (child == null) return visible && Strictness.isShow(action);
            node = child;
            visible |= child.visible();
            action = Strictness.stricter(action, child.action());
        }
        return visible && !node.restricted() && Strictness.isShow(action);
    }

    /**
     * {@link #canReadInClear(String)} for a parsed document path. Each name is one map key,
     * matched exactly: a name that holds '.', '[' or ']' (an attribute named {@code a.b}) is
     * never taken for a nested path, which the dotted form cannot tell apart.
     */
    public boolean canReadInClear(Path path) {
        PathNode node = root;
        boolean visible = root.visible();
        FieldAction action = root.action();
        List<PathElement> elements = path.elements();
        int i = 0;
        while (i < elements.size()) {
            PathNode child = node.child(((PathElement.Name) elements.get(i++)).name());
            boolean listEnds = false;
            while (i < elements.size() && elements.get(i) instanceof PathElement.Index) {
                i++;
                if (child == null || listEnds) continue;
                visible |= child.visible();
                action = Strictness.stricter(action, child.action());
                if (child.elements() == null) listEnds = true;
                else child = child.elements();
            }
            if (child == null) return visible && Strictness.isShow(action);
            node = child;
            visible |= child.visible();
            action = Strictness.stricter(action, child.action());
        }
        return visible && !node.restricted() && Strictness.isShow(action);
    }

    /**
     * The visible entries of a map. {@code cover} is the mask that will be applied to an
     * enclosing value as a whole (null: none): an action equal to it is left to that mask,
     * so a value is never masked twice by the same action.
     */
    private static Map<String, AttributeValue> redactMap(PathNode node, Map<String, AttributeValue> map, boolean visible,
                                                         FieldAction action, FieldAction cover, HmacKeys keys) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeValue> e : map.entrySet()) {
            PathNode child = node.child(e.getKey());
            AttributeValue v = child != null ? redactValue(child, e.getValue(), visible, action, cover, keys)
                    : visible ? mask(action, cover, e.getValue(), keys) : null;
            if (v != null) out.put(e.getKey(), v);
        }
        return out;
    }

    /**
     * The redacted value, or null when it is removed. A mask that reaches a map, list or set
     * masks it as a whole ({@link Masking}): first what lies below is redacted (removals,
     * allow-lists, stricter actions further down), then the mask turns the rest into one
     * value, so no key, element or count of it shows. Only {@code path[*]} masks the elements
     * of a list or set one by one.
     */
    private static AttributeValue redactValue(PathNode node, AttributeValue value, boolean inheritedVisible,
                                              FieldAction inheritedAction, FieldAction cover, HmacKeys keys) {
        boolean visible = inheritedVisible || node.visible();
        FieldAction action = Strictness.stricter(inheritedAction, node.action());
        if (action instanceof FieldAction.Remove) return null;
        if (!visible && !node.anyVisible()) return null;
        if (action instanceof FieldAction.Null) return new AttributeValue.Null();
        if (masks(action, cover) && Masking.isContainer(value)) {
            AttributeValue rest = redactValue(node, value, inheritedVisible, inheritedAction, action, keys);
            return rest == null ? null : Masking.apply(action, rest, keys);
        }
        if (value instanceof AttributeValue.M m && (!node.children().isEmpty() || node.wildcard() != null)) {
            FieldAction entries = node.elements() == null ? action : Strictness.stricter(action, node.elements().action());
            return new AttributeValue.M(redactMap(node, m.value(), visible, entries, cover, keys));
        }
        if (node.elements() != null && value instanceof AttributeValue.L l) {
            List<AttributeValue> out = new java.util.ArrayList<>();
            for (AttributeValue e : l.value()) {
                AttributeValue v = redactValue(node.elements(), e, visible, action, cover, keys);
                if (v != null) out.add(v);
            }
            return new AttributeValue.L(out);
        }
        if (node.elements() != null) {
            // a set (its elements are scalars: path[*] masks each, and the set stays a set),
            // or a value that is not the list the policy expected: the element action applies
            FieldAction element = Strictness.stricter(action, node.elements().action());
            if (element instanceof FieldAction.Remove) return null;
            if (element instanceof FieldAction.Null) return new AttributeValue.Null();
            if (!(visible || node.elements().visible())) return null;
            if (!masks(element, cover)) return value;
            return isSet(value) ? Masking.applyToElements(element, value, keys) : Masking.apply(element, value, keys);
        }
        return visible ? mask(action, cover, value, keys) : null;
    }

    /** Whether {@code action} changes a value that {@code cover} does not already mask as a whole. */
    private static boolean masks(FieldAction action, FieldAction cover) {
        return !Strictness.isShow(action) && !action.equals(cover);
    }

    private static AttributeValue mask(FieldAction action, FieldAction cover, AttributeValue value, HmacKeys keys) {
        return masks(action, cover) ? Masking.apply(action, value, keys) : value;
    }

    private static boolean isSet(AttributeValue value) {
        return value instanceof AttributeValue.SS || value instanceof AttributeValue.NS || value instanceof AttributeValue.BS;
    }

    @Override public String toString() {
        return "FieldPlan[identity=" + identity + ", masked=" + maskedPaths + ", removed=" + removedPaths + "]";
    }
}
