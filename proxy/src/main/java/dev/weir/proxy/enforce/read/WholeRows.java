package dev.weir.proxy.enforce.read;

import dev.weir.protocol.expr.Path;
import dev.weir.proxy.schema.TableSchema;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Whole rows (docs/threat-model.md): a row filter is judged on the whole item. A secondary
 * index holds only what it projects, so a read of an index whose projection lacks an attribute
 * the caller's row filter reads would judge the filter on a partial item (a deny
 * {@code rows where item.classified == true} holds on no item of a KEYS_ONLY index), and the
 * rows it hides would come back. Such a read is refused; weir does not fetch the rest of each
 * row from the table.
 */
public final class WholeRows {
    private WholeRows() {}

    /**
     * Why the caller's row filter cannot be judged on the items of the index, or empty when it
     * can (the table itself, an index projecting every attribute the filter reads, or no filter).
     */
    public static Optional<String> refusal(TableSchema schema, String index, ReadView view) {
        if (index == null || view.rows().isAll()) return Optional.empty();
        if (view.isEmpty()) return Optional.of("the caller sees no rows of the table");
        for (String attribute : attributes(view)) {
            if (!schema.projects(index, attribute)) {
                return Optional.of("the index " + index + " does not project the attribute '" + attribute
                        + "', which the caller's row filter reads, so the filter cannot be judged on its items");
            }
        }
        return Optional.empty();
    }

    /** The top-level attributes the view's row filter reads. */
    static Set<String> attributes(ReadView view) {
        Set<String> out = new LinkedHashSet<>();
        for (Path p : view.rows().itemPaths()) out.add(p.attribute());
        return out;
    }
}
