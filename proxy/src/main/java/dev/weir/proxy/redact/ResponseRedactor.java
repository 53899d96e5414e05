package dev.weir.proxy.redact;

import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;

import java.io.IOException;
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
        if (plan.isIdentity()) return body;
        JsonCursor c = new JsonCursor(body);
        ByteSink out = new ByteSink(body.length);
        boolean changed = false, firstMember = true;
        c.expect('{');
        out.write((byte) '{');
        if (c.peek() != '}') {
            do {
                c.skipWhitespace();
                int memberStart = c.pos;
                String member = c.readString();
                c.expect(':');
                c.skipWhitespace();
                int valueStart = c.pos;
                if (!firstMember) out.write((byte) ',');
                firstMember = false;
                out.write(body, memberStart, valueStart);
                switch (role(op, member)) {
                    case ITEM -> {
                        changed |= item(c, plan, out);
                    }
                    case ITEMS -> {
                        c.expect('[');
                        out.write((byte) '[');
                        boolean first = true;
                        if (c.peek() != ']') {
                            do {
                                if (!first) out.write((byte) ',');
                                first = false;
                                changed |= item(c, plan, out);
                            } while (c.comma());
                        }
                        c.expect(']');
                        out.write((byte) ']');
                    }
                    case OTHER -> out.write(body, valueStart, c.skipValue());
                }
            } while (c.comma());
        }
        c.expect('}');
        out.write((byte) '}');
        return changed ? out.toByteArray() : body;
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
