package dev.weir.proxy.enforce.read;

import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueBytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a paged read needs of each item of a {@link ScannedPage}, worked out once per read from
 * the caller's view, the client's filter and the read's key attributes: which top-level
 * members to decode (those the row filter, the filter and a LastEvaluatedKey read), and for
 * every member name what the view does to it ({@link FieldPlan#treatment}): copied as bytes
 * when shown as stored (and canonical), skipped when removed, decoded, redacted and written
 * when the view changes it. Names are matched by their UTF-8 bytes, which are the decoded
 * name: {@link ScannedPage} keeps no member whose name has an escape.
 */
final class ShowPlan {
    private final FieldPlan fields;
    private final boolean empty;
    private final FieldPlan.Treatment others;
    /** The row filter's attributes are unknown (a condition without its source): decode whole items. */
    private final boolean decodeAll;
    private final Entry[] table;
    private final int mask;

    /** A name the plan knows: what the view does to it, and whether a test or the key reads it. */
    private record Entry(byte[] utf8, long hash, String name, FieldPlan.Treatment treatment, boolean needed) {}

    private ShowPlan(ReadView view, Set<String> needed, boolean decodeAll) {
        this.fields = view.fields();
        this.empty = view.isEmpty();
        this.others = empty ? FieldPlan.Treatment.REMOVED : fields.otherAttributes();
        this.decodeAll = decodeAll;
        Set<String> names = new LinkedHashSet<>(needed);
        if (!empty) names.addAll(fields.namedAttributes());
        int size = Integer.highestOneBit(Math.max(4, names.size() * 4) - 1) << 1;
        this.table = new Entry[size];
        this.mask = size - 1;
        for (String name : names) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            long h = ScannedPage.hash(utf8, 0, utf8.length);
            FieldPlan.Treatment t = empty ? FieldPlan.Treatment.REMOVED : fields.treatment(name);
            int i = slot(h);
            while (table[i] != null) i = (i + 1) & mask;
            table[i] = new Entry(utf8, h, name, t, needed.contains(name));
        }
    }

    /**
     * @param filter        the client's filter, or null
     * @param keyAttributes the attributes of a LastEvaluatedKey of the read
     */
    static ShowPlan of(ReadView view, Condition filter, List<String> keyAttributes) {
        Set<String> needed = new LinkedHashSet<>(keyAttributes);
        boolean decodeAll = false;
        if (!view.isEmpty() && !view.rows().isAll()) {
            try {
                for (Path p : view.rows().itemPaths()) needed.add(p.attribute());
            } catch (IllegalStateException unknownPaths) {
                decodeAll = true;
            }
        }
        if (filter != null) for (Path p : filter.paths()) needed.add(p.attribute());
        return new ShowPlan(view, needed, decodeAll);
    }

    /**
     * The members of item {@code i} that the row filter, the client's filter and the key read,
     * decoded (the whole item when the row filter's attributes are unknown): enough to decide
     * both filters and to take the key, as on the whole item.
     */
    Map<String, AttributeValue> known(ScannedPage page, int i) {
        if (decodeAll) return page.item(i);
        Map<String, AttributeValue> out = new HashMap<>(8);
        for (int m = page.firstMember(i), end = page.endMember(i); m < end; m++) {
            Entry e = lookup(page, m);
            if (e != null && e.needed) out.put(e.name, page.value(m));
        }
        return out;
    }

    /**
     * Writes item {@code i} as the view shows it: the bytes {@code out.item(view.show(item))}
     * writes, with every member shown as stored copied from the page's bytes.
     */
    void write(AttributeValueBytes out, ScannedPage page, int i) {
        out.writeByte('{');
        for (int m = page.firstMember(i), end = page.endMember(i); m < end; m++) {
            Entry e = lookup(page, m);
            switch (e == null ? others : e.treatment) {
                case SHOWN -> {
                    if (page.canonical(m)) {
                        out.member(page.body, page.nameAt(m), page.nameLength(m), page.valueAt(m), page.valueLength(m));
                    } else {
                        out.member(e == null ? page.name(m) : e.name, page.value(m));
                    }
                }
                case REMOVED -> { }
                case REDACTED -> {
                    String name = e == null ? page.name(m) : e.name;
                    AttributeValue shown = fields.redact(Map.of(name, page.value(m))).get(name);
                    if (shown != null) out.member(name, shown);
                }
            }
        }
        out.writeByte('}');
    }

    private Entry lookup(ScannedPage page, int m) {
        long h = page.nameHash(m);
        int at = page.nameAt(m);
        int to = at + page.nameLength(m);
        for (int i = slot(h); ; i = (i + 1) & mask) {
            Entry e = table[i];
            if (e == null) return null;
            if (e.hash == h && Arrays.equals(e.utf8, 0, e.utf8.length, page.body, at, to)) return e;
        }
    }

    private int slot(long h) {
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
