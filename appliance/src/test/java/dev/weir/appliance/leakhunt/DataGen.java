package dev.weir.appliance.leakhunt;

import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The two stores of a sequence. D1 is random; D2 is the model's variation of it: a value may
 * differ only where no acting principal's read view (through any read operation) tells the two
 * apart (see {@link Reveal}), key attributes never differ, types never differ, and D2 may hold
 * extra rows that every actor's view hides, at keys no request names. Existence under a named
 * key is declassified, so every named key holds an item in both stores or in neither. An
 * attribute some rule's condition reads (a row filter, a requirement, a deny) may differ too,
 * but only so that the declassified bits stay equal: for every actor, whether each of its read
 * views shows the item and whether each of its write scopes admits it.
 */
final class DataGen {
    private final Random r;
    private final List<String> principalNames;

    DataGen(Random r, List<String> principalNames) {
        this.r = r;
        this.principalNames = principalNames;
    }

    /** The keys requests name: present ones hold an item in both stores, the others in neither. */
    static List<Map<String, AttributeValue>> namedKeys(TableSpec t) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        if (!t.hasRange()) {
            for (int i = 0; i < 6; i++) keys.add(Map.of(Attrs.HASH, Attrs.s("k" + i)));
            return keys;
        }
        for (int h = 0; h < 3; h++) {
            for (int g = 0; g < 3; g++) {
                Map<String, AttributeValue> k = new LinkedHashMap<>();
                k.put(Attrs.HASH, Attrs.s("h" + h));
                k.put(Attrs.RANGE, rangeValue(t, g));
                keys.add(k);
            }
        }
        return keys;
    }

    static AttributeValue rangeValue(TableSpec t, int i) {
        return t.rangeType().equals("N") ? Attrs.n(i + 1) : Attrs.s(String.valueOf((char) ('a' + i)));
    }

    /** D1: items at a random subset of the named keys. */
    List<Map<String, AttributeValue>> items(TableSpec t) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (Map<String, AttributeValue> key : namedKeys(t)) {
            if (r.nextInt(10) < (t.hasRange() ? 6 : 8)) out.add(randomItem(key));
        }
        return out;
    }

    Map<String, AttributeValue> randomItem(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key);
        for (String a : Attrs.ALL.keySet()) {
            if (r.nextInt(10) < 7) item.put(a, Attrs.value(a, r, principalNames));
        }
        return item;
    }

    /**
     * D2 from D1 for the given views (each acting principal through each read operation it
     * may use).
     *
     * @param fixed     attributes never varied (keys)
     * @param deciding  attributes some rule's condition reads: varied only when the bits stay equal
     * @param scopes    the actors' write scopes of the table (their admits bits stay equal)
     */
    List<Map<String, AttributeValue>> vary(TableSpec t, List<Map<String, AttributeValue>> d1, List<Viewer> viewers,
                                           Set<String> fixed, Set<String> deciding, List<PolicyModel.WriteScope> scopes) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : d1) {
            List<ReadView> seeing = new ArrayList<>();
            for (Viewer v : viewers) if (v.view().shows(item, v.principal())) seeing.add(v.view());
            Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
            for (String a : Attrs.ALL.keySet()) {
                if (fixed.contains(a) || r.nextInt(10) < 4) continue;
                AttributeValue old = item.get(a);
                for (int attempt = 0; attempt < 12; attempt++) {
                    AttributeValue candidate = mutate(a, old);
                    if (java.util.Objects.equals(candidate, old)) continue;
                    boolean same = true;
                    for (ReadView v : seeing) {
                        Reveal rv = v.reveal(a);
                        if (!rv.observe(old).equals(rv.observe(candidate))) {
                            same = false;
                            break;
                        }
                    }
                    if (same && deciding.contains(a)) {
                        Map<String, AttributeValue> next = new LinkedHashMap<>(copy);
                        if (candidate == null) next.remove(a);
                        else next.put(a, candidate);
                        same = bits(next, viewers, scopes).equals(bits(copy, viewers, scopes));
                    }
                    if (same) {
                        if (candidate == null) copy.remove(a);
                        else copy.put(a, candidate);
                        break;
                    }
                }
            }
            out.add(copy);
        }
        int extra = r.nextInt(10) < 6 ? 1 + r.nextInt(4) : 0;
        for (int i = 0; i < extra; i++) {
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            if (t.hasRange()) {
                key.put(Attrs.HASH, Attrs.s(r.nextBoolean() ? "h" + r.nextInt(3) : "x" + i));
                key.put(Attrs.RANGE, t.rangeType().equals("N") ? Attrs.n(50 + i) : Attrs.s("z" + i));
            } else {
                key.put(Attrs.HASH, Attrs.s("x" + i));
            }
            for (int attempt = 0; attempt < 8; attempt++) {
                Map<String, AttributeValue> candidate = randomItem(key);
                boolean hidden = true;
                for (Viewer v : viewers) hidden &= !v.view().shows(candidate, v.principal());
                if (hidden) {
                    out.add(candidate);
                    break;
                }
            }
        }
        return out;
    }

    /** The declassified bits of an item: whether each view shows it, whether each write scope admits it. */
    static List<Boolean> bits(Map<String, AttributeValue> item, List<Viewer> viewers, List<PolicyModel.WriteScope> scopes) {
        List<Boolean> out = new ArrayList<>();
        for (Viewer v : viewers) out.add(v.view().shows(item, v.principal()));
        for (PolicyModel.WriteScope w : scopes) out.add(w.admits(item));
        return out;
    }

    /** A principal's view of a table through one operation. */
    record Viewer(Principal principal, String op, ReadView view) {}

    /** Another value of the attribute's type, or null (absent); often close to the old one. */
    AttributeValue mutate(String attr, AttributeValue old) {
        if (old == null) return r.nextBoolean() ? Attrs.value(attr, r, principalNames) : null;
        if (r.nextInt(8) == 0) return null;
        if (r.nextInt(4) == 0) return Attrs.value(attr, r, principalNames);
        return near(old);
    }

    private AttributeValue near(AttributeValue old) {
        return switch (old) {
            case AttributeValue.S s -> {
                String v = s.value();
                int keepHead = Math.min(v.length(), r.nextInt(5)), keepTail = Math.min(v.length() - keepHead, r.nextInt(5));
                StringBuilder mid = new StringBuilder();
                int len = (keepHead + keepTail == 0 ? 1 : 0) + r.nextInt(7);
                for (int i = 0; i < len; i++) mid.append((char) ('a' + r.nextInt(26)));
                yield Attrs.s(v.substring(0, keepHead) + mid + v.substring(v.length() - keepTail));
            }
            case AttributeValue.N n -> {
                long x = new java.math.BigDecimal(n.value()).longValue();
                long delta = r.nextBoolean() ? 1 + r.nextInt(9) : 100 + r.nextInt(900);
                long y = r.nextBoolean() ? x + delta : x - delta;
                yield Attrs.n(Math.max(0, y));
            }
            case AttributeValue.Bool b -> new AttributeValue.Bool(!b.value());
            case AttributeValue.B b -> Attrs.bytes(r, 1 + r.nextInt(6));
            case AttributeValue.Null x -> x;
            case AttributeValue.M m -> {
                Map<String, AttributeValue> copy = new LinkedHashMap<>(m.value());
                List<String> keys = new ArrayList<>(copy.keySet());
                int what = r.nextInt(4);
                if (what == 0 || keys.isEmpty()) copy.put(Attrs.pick(r, List.of("street", "city", "zip", "extra", "a", "c")),
                        Attrs.s(Attrs.pick(r, Attrs.WORDS)));
                else if (what == 1) copy.remove(Attrs.pick(r, keys));
                else {
                    String k = Attrs.pick(r, keys);
                    copy.put(k, near(copy.get(k)));
                }
                yield new AttributeValue.M(copy);
            }
            case AttributeValue.L l -> {
                List<AttributeValue> copy = new ArrayList<>(l.value());
                int what = r.nextInt(3);
                if (what == 0 || copy.isEmpty()) copy.add(Attrs.s(Attrs.pick(r, Attrs.WORDS)));
                else if (what == 1) copy.remove(r.nextInt(copy.size()));
                else {
                    int i = r.nextInt(copy.size());
                    copy.set(i, near(copy.get(i)));
                }
                yield new AttributeValue.L(copy);
            }
            case AttributeValue.SS ss -> {
                TreeSet<String> set = new TreeSet<>(ss.value());
                if (set.size() > 1 && r.nextBoolean()) set.remove(Attrs.pick(r, new ArrayList<>(set)));
                else set.add(Attrs.pick(r, Attrs.WORDS) + r.nextInt(9));
                yield new AttributeValue.SS(new ArrayList<>(set));
            }
            case AttributeValue.NS ns -> {
                TreeSet<Integer> set = new TreeSet<>();
                for (String x : ns.value()) set.add(Integer.parseInt(x));
                if (set.size() > 1 && r.nextBoolean()) set.remove(Attrs.pick(r, new ArrayList<>(set)));
                else set.add(20 + r.nextInt(20));
                yield new AttributeValue.NS(set.stream().map(String::valueOf).toList());
            }
            case AttributeValue.BS bs -> bs;
        };
    }
}
