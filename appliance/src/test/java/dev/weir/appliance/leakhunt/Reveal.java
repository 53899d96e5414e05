package dev.weir.appliance.leakhunt;

import dev.weir.protocol.model.AttributeValue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a principal's read view reveals of one value, as docs/threat-model.md defines it, and
 * the observation it makes of a value: two values a view cannot tell apart have equal
 * observations, so the model may put either in D2. Every choice here errs towards revealing
 * more (never varying what a view might show):
 *
 * <ul>
 *   <li>{@link None}: removed or not listed: nothing, not even presence.</li>
 *   <li>{@link Presence}: {@code null}, {@code constant}, and {@code round}/{@code bucket} of
 *       anything but a number (they yield NULL): that the value is there.</li>
 *   <li>{@link Text}: {@code show_first(n)}/{@code show_last(n)} of a string: those n characters
 *       (the result has a fixed length); a string of at most n characters is revealed whole.
 *       Of anything but a string they count as revealing everything.</li>
 *   <li>{@link Rounded}: {@code round(step)}/{@code bucket(width)} of a number: the rounded number
 *       (a negative number, or one halfway between two steps, counts as revealed whole).</li>
 *   <li>{@link Clear}: shown, and {@code hash}, {@code hmac}, {@code pattern} (treated as revealing all).</li>
 *   <li>{@link Struct}: a map or list some of whose keys or elements have their own reveal
 *       ({@code fields [address.city]}, {@code remove address.street}, {@code mask tags[*] ...}).
 *       A value of another type than the struct expects counts as revealed whole.</li>
 * </ul>
 */
sealed interface Reveal {
    Object observe(AttributeValue v);

    /** What the observation of an absent value is (for every reveal but {@link None}). */
    Object ABSENT = "<absent>";
    Object NOTHING = "<nothing>";

    Reveal NONE = new None();
    Reveal PRESENCE = new Presence();
    Reveal CLEAR = new Clear();

    record None() implements Reveal {
        public Object observe(AttributeValue v) {
            return NOTHING;
        }
    }

    record Presence() implements Reveal {
        public Object observe(AttributeValue v) {
            return v == null ? ABSENT : "<present>";
        }
    }

    record Clear() implements Reveal {
        public Object observe(AttributeValue v) {
            return v == null ? ABSENT : canonical(v);
        }
    }

    /** First or last n characters of a string. */
    record Text(boolean first, int n) implements Reveal {
        public Object observe(AttributeValue v) {
            if (v == null) return ABSENT;
            if (!(v instanceof AttributeValue.S s)) return canonical(v);
            String t = s.value();
            if (t.codePointCount(0, t.length()) <= n) return List.of("whole", t);
            int[] cps = t.codePoints().toArray();
            int from = first ? 0 : cps.length - n;
            return List.of(first ? "first" : "last", new String(cps, from, n));
        }
    }

    /** A number rounded to the nearest multiple of step (half up), or down to the start of its bucket. */
    record Rounded(BigDecimal step, boolean bucket) implements Reveal {
        public Object observe(AttributeValue v) {
            if (v == null) return ABSENT;
            if (!(v instanceof AttributeValue.N n)) return "<present>";
            BigDecimal x = new BigDecimal(n.value());
            // Where readings of "half up" or "bucket" could differ (a tie, a negative number), the
            // value counts as revealed whole: the model never varies it.
            if (x.signum() < 0 || (!bucket && x.remainder(step).abs().multiply(BigDecimal.TWO).compareTo(step) == 0)) {
                return canonical(v);
            }
            BigDecimal q = x.divide(step, 0, bucket ? RoundingMode.FLOOR : RoundingMode.HALF_UP);
            return List.of("rounded", q.multiply(step).stripTrailingZeros().toPlainString());
        }
    }

    /**
     * A map with per-key reveals ({@code others} for keys not named), or a list whose elements
     * each have {@code elements}' reveal. A null {@code elements} means a list is not expected.
     */
    record Struct(Map<String, Reveal> keys, Reveal others, Reveal elements) implements Reveal {
        public Object observe(AttributeValue v) {
            if (v == null) return ABSENT;
            if (v instanceof AttributeValue.M m && elements == null) {
                Map<String, Object> out = new TreeMap<>();
                for (Map.Entry<String, AttributeValue> e : m.value().entrySet()) {
                    Reveal r = keys.getOrDefault(e.getKey(), others);
                    if (!(r instanceof None)) out.put(e.getKey(), r.observe(e.getValue()));
                }
                return List.of("M", out);
            }
            if (v instanceof AttributeValue.L l && elements != null && keys.isEmpty()) {
                List<Object> out = new ArrayList<>();
                for (AttributeValue e : l.value()) out.add(elements.observe(e));
                return List.of("L", out);
            }
            return canonical(v);
        }
    }

    /**
     * The least reveal that reveals at least what both do: weir combines the allows that
     * match a request (fields united, the strictest action per field), which reveals no more
     * than this.
     */
    static Reveal join(Reveal a, Reveal b) {
        if (a instanceof None) return b;
        if (b instanceof None) return a;
        if (a instanceof Clear || b instanceof Clear) return CLEAR;
        if (a instanceof Presence) return b;
        if (b instanceof Presence) return a;
        if (a instanceof Text x && b instanceof Text y) {
            return x.first == y.first ? new Text(x.first, Math.max(x.n, y.n)) : CLEAR;
        }
        if (a instanceof Rounded x && b instanceof Rounded y) {
            return x.equals(y) ? x : CLEAR;
        }
        if (a instanceof Struct x && b instanceof Struct y) {
            if ((x.elements == null) != (y.elements == null)) return CLEAR;
            Set<String> names = new HashSet<>(x.keys.keySet());
            names.addAll(y.keys.keySet());
            Map<String, Reveal> keys = new HashMap<>();
            for (String k : names) keys.put(k, join(x.keys.getOrDefault(k, x.others), y.keys.getOrDefault(k, y.others)));
            return new Struct(keys, join(x.others, y.others), x.elements == null ? null : join(x.elements, y.elements));
        }
        return CLEAR;
    }

    /** A value in a form whose equality is value equality (sets in order, numbers by value). */
    static Object canonical(AttributeValue v) {
        return switch (v) {
            case AttributeValue.S s -> List.of("S", s.value());
            case AttributeValue.N n -> List.of("N", new BigDecimal(n.value()).stripTrailingZeros().toPlainString());
            case AttributeValue.B b -> List.of("B", b.value().base64());
            case AttributeValue.Bool b -> List.of("BOOL", b.value());
            case AttributeValue.Null n -> List.of("NULL");
            case AttributeValue.SS ss -> List.of("SS", new java.util.TreeSet<>(ss.value()));
            case AttributeValue.NS ns -> List.of("NS", new java.util.TreeSet<>(ns.value().stream()
                    .map(x -> new BigDecimal(x).stripTrailingZeros().toPlainString()).toList()));
            case AttributeValue.BS bs -> List.of("BS", new java.util.TreeSet<>(bs.value().stream()
                    .map(AttributeValue.Bytes::base64).toList()));
            case AttributeValue.L l -> List.of("L", l.value().stream().map(Reveal::canonical).toList());
            case AttributeValue.M m -> {
                Map<String, Object> out = new TreeMap<>();
                m.value().forEach((k, x) -> out.put(k, canonical(x)));
                yield List.of("M", out);
            }
        };
    }
}
