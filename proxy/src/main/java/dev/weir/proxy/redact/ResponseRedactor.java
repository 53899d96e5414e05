package dev.weir.proxy.redact;

import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies a caller's field plan to the items in a response body by streaming over its bytes:
 * attributes the caller may read in the clear are copied as they are, byte for byte, and
 * only attributes that are masked or partly hidden are parsed, passed through
 * {@link FieldPlan#redact} and written anew; removed ones are skipped. No tree is built for
 * the response. Items are found where each operation puts them: GetItem's {@code Item}, the
 * {@code Attributes} writes return, Query's and Scan's {@code Items} and
 * {@code LastEvaluatedKey}. A body with nothing to change comes back as the same array.
 *
 * <p>The firewall uses it for the items writes return; reads by a caller whose view is
 * restricted are paged and shown by {@code enforce/read} (a row filter applied to a page the
 * store cut would let hidden rows shorten and end pages).
 */
public final class ResponseRedactor {
    private static final int MAX_CACHED_PLANS = 4096;
    private static final int MAX_CACHED_NAMES = 4096;

    /** Where items sit in a response: one item, or an array of items. */
    enum Role { ITEM, ITEMS, OTHER }

    /** Per plan, whether a top-level attribute name is entirely readable in the clear. */
    private final Map<FieldPlan, Map<String, Boolean>> clearNames = new ConcurrentHashMap<>();

    static Role role(Operation op, String member) {
        return switch (op) {
            case GetItem -> member.equals("Item") ? Role.ITEM : Role.OTHER;
            case PutItem, UpdateItem, DeleteItem -> member.equals("Attributes") ? Role.ITEM : Role.OTHER;
            case Query, Scan -> switch (member) {
                case "Items" -> Role.ITEMS;
                case "LastEvaluatedKey" -> Role.ITEM;
                default -> Role.OTHER;
            };
            default -> Role.OTHER;
        };
    }

    /** Returns the body the caller may see; the same array when nothing needed changing. */
    public byte[] redact(Operation op, FieldPlan plan, byte[] body) throws IOException {
        return redact(op, plan, null, body);
    }

    /**
     * Returns the body the caller may see. With a row filter ({@code rows} non-null), items
     * that fail it are dropped; {@code Count} and {@code ScannedCount} then give the number of
     * items returned (so hidden rows cannot be counted), and {@code LastEvaluatedKey} becomes
     * the key of the last returned item, or is withheld when no item is returned, so that a
     * hidden row's key never leaves the proxy.
     */
    public byte[] redact(Operation op, FieldPlan plan, Predicate<Map<String, AttributeValue>> rows, byte[] body)
            throws IOException {
        return redact(op, plan, rows, null, body);
    }

    /**
     * As {@link #redact(Operation, FieldPlan, Predicate, byte[])}, and each item that passes the
     * row filter is first cut down by {@code shape} (the client's own projection, when weir
     * widened it to read the attributes the row filter tests); null: items as they are.
     * {@code LastEvaluatedKey} is still taken from the whole item.
     */
    public byte[] redact(Operation op, FieldPlan plan, Predicate<Map<String, AttributeValue>> rows,
                         UnaryOperator<Map<String, AttributeValue>> shape, byte[] body) throws IOException {
        if (plan.isIdentity() && rows == null) return body;
        JsonCursor c = new JsonCursor(body);
        List<int[]> members = new ArrayList<>();
        List<String> names = new ArrayList<>();
        c.expect('{');
        if (c.peek() != '}') {
            do {
                JsonCursor.Member m = c.member();
                names.add(m.name());
                members.add(new int[] {m.start(), m.valueStart(), c.skipValue()});
            } while (c.comma());
        }
        c.expect('}');

        // Items first: their count and last key decide what the other members say.
        Map<String, byte[]> rewritten = new HashMap<>();
        int kept = -1;
        Map<String, AttributeValue> lastKept = null;
        boolean changed = false;
        for (int i = 0; i < members.size(); i++) {
            Role role = role(op, names.get(i));
            if (names.get(i).equals("LastEvaluatedKey") && role == Role.ITEM) {
                changed = true;
                continue;
            }
            if (role == Role.OTHER) continue;
            c.pos = members.get(i)[1];
            ByteSink out = new ByteSink(members.get(i)[2] - members.get(i)[1]);
            if (role == Role.ITEM) {
                if (rows == null) {
                    changed |= item(c, plan, out);
                } else {
                    Map<String, AttributeValue> whole = ValueCodec.map(c);
                    changed = true;
                    if (!rows.test(whole)) {
                        rewritten.put(names.get(i), null);
                        continue;
                    }
                    writeItem(plan.redact(shape == null ? whole : shape.apply(whole)), out);
                }
            } else {
                Kept k = items(c, plan, rows, shape, out);
                kept = k.count();
                lastKept = k.last();
                changed |= k.changed();
            }
            rewritten.put(names.get(i), out.toByteArray());
        }
        if (!changed) return body;

        ByteSink out = new ByteSink(body.length);
        out.write((byte) '{');
        boolean first = true;
        for (int i = 0; i < members.size(); i++) {
            String name = names.get(i);
            int[] m = members.get(i);
            byte[] value;
            if (rewritten.containsKey(name)) {
                value = rewritten.get(name);
                if (value == null) continue;
            } else if (rows != null && kept >= 0 && (name.equals("Count") || name.equals("ScannedCount"))) {
                value = Integer.toString(kept).getBytes(StandardCharsets.US_ASCII);
            } else if (name.equals("LastEvaluatedKey") && role(op, name) == Role.ITEM) {
                Map<String, AttributeValue> key = ValueCodec.mapAt(body, m[1]);
                if (rows != null) {
                    if (lastKept == null) continue;
                    Map<String, AttributeValue> next = new LinkedHashMap<>();
                    for (String k : key.keySet()) if (lastKept.containsKey(k)) next.put(k, lastKept.get(k));
                    if (next.size() != key.size()) continue;
                    key = next;
                }
                ByteSink k = new ByteSink(64);
                writeItem(plan.redact(key), k);
                value = k.toByteArray();
            } else {
                value = null;
            }
            if (!first) out.write((byte) ',');
            first = false;
            out.write(body, m[0], m[1]);
            if (value == null) out.write(body, m[1], m[2]);
            else out.write(value);
        }
        out.write((byte) '}');
        return out.toByteArray();
    }

    /** What an array of items came to: how many were kept, the last kept one (when rows were read), whether any changed. */
    private record Kept(int count, Map<String, AttributeValue> last, boolean changed) {}

    /**
     * Rewrites an array of items at the cursor: without a row filter each item streams
     * through {@link #item}; with one, each is read whole, dropped if the filter hides it,
     * and written as the plan shows it.
     */
    private Kept items(JsonCursor c, FieldPlan plan, Predicate<Map<String, AttributeValue>> rows,
                       UnaryOperator<Map<String, AttributeValue>> shape, ByteSink out) throws IOException {
        c.expect('[');
        out.write((byte) '[');
        int kept = 0;
        boolean changed = rows != null;
        Map<String, AttributeValue> last = null;
        if (c.peek() != ']') {
            do {
                if (rows == null) {
                    if (kept++ > 0) out.write((byte) ',');
                    changed |= item(c, plan, out);
                    continue;
                }
                Map<String, AttributeValue> whole = ValueCodec.map(c);
                if (!rows.test(whole)) continue;
                if (kept++ > 0) out.write((byte) ',');
                writeItem(plan.redact(shape == null ? whole : shape.apply(whole)), out);
                last = whole;
            } while (c.comma());
        }
        c.expect(']');
        out.write((byte) ']');
        return new Kept(kept, last, changed);
    }

    private static void writeItem(Map<String, AttributeValue> item, ByteSink out) {
        out.write((byte) '{');
        boolean first = true;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            if (!first) out.write((byte) ',');
            first = false;
            ValueCodec.writeMember(e.getKey(), e.getValue(), out);
        }
        out.write((byte) '}');
    }

    /** Rewrites one item (an object of attribute name to attribute value); true if it changed. */
    private boolean item(JsonCursor c, FieldPlan plan, ByteSink out) throws IOException {
        byte[] b = c.b;
        Map<String, Boolean> clear = clearNamesOf(plan);
        c.expect('{');
        out.write((byte) '{');
        boolean changed = false, first = true;
        if (c.peek() != '}') {
            do {
                c.skipWhitespace();
                int nameStart = c.pos;
                String name = c.readString();
                c.expect(':');
                c.skipWhitespace();
                int valueStart = c.pos;
                int valueEnd = c.skipValue();
                if (readableInClear(clear, plan, name)) {
                    if (!first) out.write((byte) ',');
                    first = false;
                    out.write(b, nameStart, valueEnd);
                    continue;
                }
                changed = true;
                int resume = c.pos;
                c.pos = valueStart;
                AttributeValue value = ValueCodec.read(c);
                c.pos = resume;
                AttributeValue visible = plan.redact(Map.of(name, value)).get(name);
                if (visible == null) continue;
                if (!first) out.write((byte) ',');
                first = false;
                ValueCodec.writeMember(name, visible, out);
            } while (c.comma());
        }
        c.expect('}');
        out.write((byte) '}');
        return changed;
    }

    /**
     * Whether an attribute may be copied as it is. A name holding '.' or '[' never is: the
     * plan reads its argument as a document path, and a top-level attribute literally named
     * {@code x.y} is not the nested attribute y of x, so it takes the exact path through
     * {@link FieldPlan#redact}.
     */
    private static boolean readableInClear(Map<String, Boolean> cache, FieldPlan plan, String name) {
        if (name.indexOf('.') >= 0 || name.indexOf('[') >= 0) return false;
        Boolean known = cache.get(name);
        if (known != null) return known;
        boolean clear = plan.canReadInClear(name);
        if (cache.size() < MAX_CACHED_NAMES) cache.put(name, clear);
        return clear;
    }

    private Map<String, Boolean> clearNamesOf(FieldPlan plan) {
        Map<String, Boolean> m = clearNames.get(plan);
        if (m != null) return m;
        if (clearNames.size() >= MAX_CACHED_PLANS) clearNames.clear();
        return clearNames.computeIfAbsent(plan, p -> new ConcurrentHashMap<>());
    }
}
