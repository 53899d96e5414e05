package dev.weir.appliance.leakhunt;

import dev.weir.protocol.model.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * A principal's read view of a table through one operation, per the model: which rows it
 * shows and what it reveals of each attribute of a shown row.
 *
 * @param allowRows the allows' row conditions (any one admits a row), or null when an allow admits every row
 * @param denyRows  the denies' row conditions (any one hides a row)
 * @param others    the reveal of attributes outside {@code attrs}
 */
record ReadView(boolean permitted, List<Cond> allowRows, List<Cond> denyRows, Map<String, Reveal> attrs, Reveal others) {
    static final ReadView REFUSED = new ReadView(false, List.of(), List.of(), Map.of(), Reveal.NONE);

    boolean shows(Map<String, AttributeValue> item, Principal p) {
        if (!permitted) return false;
        for (Cond d : denyRows) if (d.test(item, p)) return false;
        if (allowRows == null) return true;
        for (Cond c : allowRows) if (c.test(item, p)) return true;
        return false;
    }

    Reveal reveal(String attr) {
        return attrs.getOrDefault(attr, others);
    }

    /** Whether the view shows every row and every attribute in clear. */
    boolean unrestricted() {
        if (!permitted || allowRows != null || !denyRows.isEmpty() || !(others instanceof Reveal.Clear)) return false;
        for (Reveal r : attrs.values()) if (!(r instanceof Reveal.Clear)) return false;
        return true;
    }
}
