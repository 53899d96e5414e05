package dev.weir.proxy.enforce.read;

import dev.weir.policy.decision.RowFilter;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueBytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a paged read needs of each item of a {@link ScannedPage}, worked out once per read from
 * the caller's view, the client's filter and the read's key attributes: which top-level
 * members to decode (those the row filter, the filter and a LastEvaluatedKey read), and for
 * every member name what the view does to it ({@link FieldPlan#treatment}): copied as bytes
 * when shown as stored (and canonical), skipped when removed, and when the view changes it
 * shown from its bytes by the view's rule for it ({@link BytesRule}: map entries copied or
 * skipped, masks on the bytes), or, where the rule leaves it to {@code redact} or the member
 * is not canonical, decoded, redacted and written. Names are matched by their UTF-8 bytes, which are the decoded
 * name: {@link ScannedPage} keeps no member whose name has an escape. One read's: not shared
 * between threads (the {@link Pager}'s steps run one after another).
 */
final class ShowPlan {
    private final FieldPlan fields;
    /** The row filter the plan was made for (which members it decodes), to find the plan again ({@link #forItem}). */
    private final RowFilter rows;
    private final boolean empty;
    private final FieldPlan.Treatment others;
    /** How a member of another name is shown from its bytes when its treatment is REDACTED. */
    private final BytesRule otherBytes;
    /** The row filter's attributes are unknown (a condition without its source): decode whole items. */
    private final boolean decodeAll;
    private final Entry[] table;
    private final int mask;
    /** {@link #resolve}'s entries of one item's members, and which item they are of. */
    private Entry[] resolved = new Entry[16];
    private ScannedPage resolvedPage;
    private int resolvedItem = -1;

    /**
     * A name the plan knows: what the view does to it (and, when that depends on the value, how
     * its bytes are shown: {@link FieldPlan#rule}), and whether a test or the key reads it.
     */
    private record Entry(byte[] utf8, long hash, String name, FieldPlan.Treatment treatment, BytesRule bytes, boolean needed) {}

    private ShowPlan(ReadView view, Set<String> needed, boolean decodeAll) {
        this.fields = view.fields();
        this.rows = view.rows();
        this.empty = view.isEmpty();
        this.others = empty ? FieldPlan.Treatment.REMOVED : fields.otherAttributes();
        this.otherBytes = others == FieldPlan.Treatment.REDACTED ? BytesRule.of(fields.otherRule()) : null;
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
            BytesRule bytes = t == FieldPlan.Treatment.REDACTED ? BytesRule.of(fields.rule(name)) : null;
            table[i] = new Entry(utf8, h, name, t, bytes, needed.contains(name));
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

    /** The plans {@link #forItem} made on this thread, the most recently used first. */
    private static final ThreadLocal<ShowPlan[]> RECENT = ThreadLocal.withInitial(() -> new ShowPlan[4]);

    /**
     * The plan of a read of single items (a GetItem's answer: no filter, no key to take) through
     * the view, made once per thread for the view's fields and rows and used again: a view's
     * fields and rows are its decision's, which the decision table makes once and shares
     * between every request it decides the same way (a policy loaded again makes new ones), and
     * the plan depends on nothing else of the view. Made for one answer after another on one
     * thread, never for two at once; {@link #done} after each.
     */
    static ShowPlan forItem(ReadView view) {
        ShowPlan[] recent = RECENT.get();
        for (int k = 0; k < recent.length; k++) {
            ShowPlan p = recent[k];
            if (p != null && p.fields == view.fields() && p.rows == view.rows() && p.empty == view.isEmpty()) {
                if (k > 0) {
                    System.arraycopy(recent, 0, recent, 1, k);
                    recent[0] = p;
                }
                return p;
            }
        }
        ShowPlan p = of(view, null, List.of());
        System.arraycopy(recent, 0, recent, 1, recent.length - 1);
        recent[0] = p;
        return p;
    }

    /** Forgets the item last shown (the plan keeps no answer's bytes between reads). */
    void done() {
        resolvedPage = null;
        resolvedItem = -1;
    }

    /**
     * The members of item {@code i} that the row filter, the client's filter and the key read,
     * decoded (the whole item when the row filter's attributes are unknown): enough to decide
     * both filters and to take the key, as on the whole item.
     */
    Map<String, AttributeValue> known(ScannedPage page, int i) {
        resolve(page, i);
        if (decodeAll) return page.item(i);
        int first = page.firstMember(i);
        int end = page.endMember(i);
        int found = 0;
        for (int m = first; m < end; m++) {
            Entry e = resolved[m - first];
            if (e != null && e.needed) found++;
        }
        if (found == 0) return Map.of();
        // names are not there twice in such an item: looked up one after another, not hashed
        String[] names = new String[found];
        AttributeValue[] values = new AttributeValue[found];
        int n = 0;
        for (int m = first; m < end; m++) {
            Entry e = resolved[m - first];
            if (e != null && e.needed) {
                names[n] = e.name;
                values[n++] = page.value(m);
            }
        }
        return new FewMembers(names, values, n);
    }

    /** The entries of item {@code i}'s members, looked up once for {@link #known} and {@link #write} (the plan is one read's). */
    private void resolve(ScannedPage page, int i) {
        if (page == resolvedPage && i == resolvedItem) return;
        int first = page.firstMember(i);
        int n = page.endMember(i) - first;
        if (resolved.length < n) resolved = new Entry[Math.max(n, 2 * resolved.length)];
        for (int k = 0; k < n; k++) resolved[k] = lookup(page, first + k);
        resolvedPage = page;
        resolvedItem = i;
    }

    /**
     * Writes item {@code i} as the view shows it: the bytes {@code out.item(view.show(item))}
     * writes, with every member shown as stored copied from the page's bytes.
     */
    void write(AttributeValueBytes out, ScannedPage page, int i) {
        resolve(page, i);
        out.writeByte('{');
        int first = page.firstMember(i);
        for (int m = first, end = page.endMember(i); m < end; m++) member(out, page, m, resolved[m - first]);
        out.writeByte('}');
    }

    /**
     * Writes item {@code i} as the view shows it and then a projection of top-level attributes
     * keeps it: the bytes {@code out.item(projection.apply(view.show(item)))} writes when the
     * projection names exactly the attributes {@code names} (UTF-8, distinct, in the
     * projection's order), each whole. An attribute the item lacks, or the view removes, is
     * left out.
     */
    void writeProjected(AttributeValueBytes out, ScannedPage page, int i, byte[][] names) {
        resolve(page, i);
        out.writeByte('{');
        int first = page.firstMember(i);
        int end = page.endMember(i);
        for (byte[] name : names) {
            for (int m = first; m < end; m++) {
                int at = page.nameAt(m);
                if (same(name, page.body, at, at + page.nameLength(m))) {
                    member(out, page, m, resolved[m - first]); // a plain item has no name twice
                    break;
                }
            }
        }
        out.writeByte('}');
    }

    /** Writes member {@code m} as the view shows it ({@code e}: its name's entry, or null), or nothing when the view removes it. */
    private void member(AttributeValueBytes out, ScannedPage page, int m, Entry e) {
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
                if (page.canonical(m)) {
                    // the view's rule followed on the bytes; where it leaves the value to redact, forget and redact
                    int mark = out.size();
                    BytesRule rule = e == null ? otherBytes : e.bytes;
                    if (rule.member(out, page.body, page.nameAt(m), page.nameLength(m), page.valueAt(m), page.valueLength(m))) {
                        return;
                    }
                    out.truncate(mark);
                }
                String name = e == null ? page.name(m) : e.name;
                AttributeValue shown = fields.redact(Map.of(name, page.value(m))).get(name);
                if (shown != null) out.member(name, shown);
            }
        }
    }

    private Entry lookup(ScannedPage page, int m) {
        long h = page.nameHash(m);
        int at = page.nameAt(m);
        int to = at + page.nameLength(m);
        for (int i = slot(h); ; i = (i + 1) & mask) {
            Entry e = table[i];
            if (e == null) return null;
            if (e.hash == h && same(e.utf8, page.body, at, to)) return e;
        }
    }

    private static boolean same(byte[] name, byte[] b, int from, int to) {
        int n = name.length;
        if (to - from != n) return false;
        if (n > 16) return Arrays.equals(name, 0, n, b, from, to);
        for (int k = 0; k < n; k++) if (name[k] != b[from + k]) return false;
        return true;
    }

    private int slot(long h) {
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
