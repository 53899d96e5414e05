package dev.weir.appliance.leakhunt;

import dev.weir.protocol.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generated policy as the model holds it: its text is what weir compiles, and the read
 * views and write scopes below are the model's own reading of it (docs/threat-model.md), never
 * weir's compiled plan.
 */
record PolicyModel(List<String> roles, List<Rule> rules) {
    static final List<String> READ_OPS = List.of("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems");
    static final List<String> WRITE_OPS = List.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems");
    /** The Streams operations: each a read of the stream's table (docs/streams.md, "Decisions"). */
    static final List<String> STREAM_OPS = List.of("ListStreams", "DescribeStream", "GetShardIterator", "GetRecords");
    /** What the group {@code read} names: the five reads and the four Streams operations. */
    static final List<String> READ_GROUP = java.util.stream.Stream.concat(READ_OPS.stream(), STREAM_OPS.stream()).toList();
    /**
     * The operations whose read view shows data: the five reads, and GetRecords (its records go
     * through its own decision's view). D2 varies only what all of them, for every actor, hide.
     */
    static final List<String> VIEW_OPS = java.util.stream.Stream.concat(READ_OPS.stream(), java.util.stream.Stream.of("GetRecords")).toList();

    String render() {
        StringBuilder sb = new StringBuilder();
        for (String r : roles) sb.append("role ").append(r).append('\n');
        for (Rule r : rules) sb.append('\n').append(r.render());
        return sb.toString();
    }

    /** Every item attribute some rule's condition reads: the model never varies these. */
    Set<String> conditionAttributes() {
        Set<String> out = new LinkedHashSet<>();
        for (Rule r : rules) {
            if (r.rows() != null) r.rows().attributes(out);
            if (r.require() != null) r.require().attributes(out);
        }
        return out;
    }

    /**
     * What {@code p} sees of {@code table} through {@code op}: the rows (allows' rows OR-ed, the
     * denies' removed) and, per attribute, the join of what each matching allow reveals.
     */
    ReadView readView(Principal p, String table, String op) {
        List<Cond> allowRows = new ArrayList<>();
        boolean allRows = false;
        boolean permitted = false;
        boolean forbidden = false;
        List<Cond> denyRows = new ArrayList<>();
        Map<String, Reveal> attrs = new HashMap<>();
        Reveal others = Reveal.NONE;
        for (Rule r : rules) {
            if (!r.matches(p, table, op)) continue;
            if (!r.allow()) {
                if (r.rows() == null) forbidden = true;
                else denyRows.add(r.rows());
                continue;
            }
            permitted = true;
            if (r.rows() == null) allRows = true;
            else allowRows.add(r.rows());
            Reveal ruleOthers = r.fields() == null ? Reveal.CLEAR : Reveal.NONE;
            Set<String> names = new LinkedHashSet<>(attrs.keySet());
            names.addAll(Attrs.ALL.keySet());
            names.add(Attrs.HASH);
            names.add(Attrs.RANGE);
            for (String a : names) {
                attrs.put(a, Reveal.join(attrs.getOrDefault(a, others), ruleReveal(r, a)));
            }
            others = Reveal.join(others, ruleOthers);
        }
        if (!permitted || forbidden) return ReadView.REFUSED;
        return new ReadView(true, allRows ? null : allowRows, denyRows, attrs, others);
    }

    /** What one allow reveals of a top-level attribute. */
    static Reveal ruleReveal(Rule r, String attr) {
        Reveal base;
        List<String> f = r.fields();
        if (f == null || f.contains(attr) || f.contains(attr + ".*") || f.contains(attr + "[*]")) {
            base = Reveal.CLEAR;
        } else {
            Map<String, Reveal> keys = new HashMap<>();
            for (String path : f) {
                if (path.startsWith(attr + ".")) keys.put(path.substring(attr.length() + 1), Reveal.CLEAR);
            }
            base = keys.isEmpty() ? Reveal.NONE : new Reveal.Struct(keys, Reveal.NONE, null);
        }
        for (Map.Entry<String, Action> e : r.actions().entrySet()) {
            String path = e.getKey();
            Reveal a = e.getValue().reveal();
            if (path.equals(attr)) {
                base = a;
            } else if (path.equals(attr + "[*]")) {
                base = new Reveal.Struct(Map.of(), Reveal.CLEAR, a);
            } else if (path.startsWith(attr + ".")) {
                String key = path.substring(attr.length() + 1);
                if (base instanceof Reveal.Struct s && s.elements() == null) {
                    Map<String, Reveal> keys = new HashMap<>(s.keys());
                    keys.put(key, a);
                    base = new Reveal.Struct(keys, s.others(), null);
                } else if (base instanceof Reveal.Clear) {
                    base = new Reveal.Struct(Map.of(key, a), Reveal.CLEAR, null);
                }
            }
        }
        return base;
    }

    /**
     * The write scope of {@code p} for {@code op} on {@code table}, or null when no allow matches:
     * the write's own decision (docs/threat-model.md, "Writes stay in scope"), its allows'
     * {@code rows where} and {@code require}, minus the {@code rows where} of the denies that
     * match the write itself. A read deny does not narrow it: it hides rows from reads, which the
     * read view (visible rows, moving rows) already answers for.
     */
    WriteScope writeScope(Principal p, String table, String op) {
        List<Rule> allows = new ArrayList<>();
        List<Cond> denies = new ArrayList<>();
        for (Rule r : rules) {
            if (!r.matches(p, table, op)) continue;
            if (r.allow()) allows.add(r);
            else if (r.rows() != null) denies.add(r.rows());
        }
        if (allows.isEmpty()) return null;
        return new WriteScope(p, allows, denies);
    }

    /** A principal's write scope: some allow's rows and requirement hold, no matching deny's rows do. */
    record WriteScope(Principal p, List<Rule> allows, List<Cond> denies) {
        boolean admits(Map<String, AttributeValue> item) {
            for (Cond d : denies) if (d.test(item, p)) return false;
            for (Rule r : allows) {
                if ((r.rows() == null || r.rows().test(item, p)) && (r.require() == null || r.require().test(item, p))) {
                    return true;
                }
            }
            return false;
        }
    }
}
