package dev.weir.proxy.enforce.read;

import dev.weir.protocol.expr.Path;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.schema.TableSchema;

import java.util.Optional;

/**
 * Order and pages (docs/threat-model.md): a Query or Scan returns rows in the order of its
 * table's or index's keys, and a page ends with a {@code LastEvaluatedKey} that names them. A
 * Query's order follows the sort key, a Scan's the partition key; both put every key attribute
 * of the table and of the index into a LastEvaluatedKey. So a caller whose view is restricted
 * must read each of them in clear ({@link TableSchema#keyAttributes}), or the read is refused:
 * otherwise the order of the rows, or the key of a page, would follow values the view hides.
 * (A caller whose view is unrestricted reads every attribute in clear.)
 */
public final class Order {
    private Order() {}

    /**
     * Why the caller may not read the table ({@code index} null) or the index in key order, or
     * empty when it may.
     *
     * @throws IllegalArgumentException when the table has no such index
     */
    public static Optional<String> refusal(Operation op, TableSchema schema, String index, ReadView view) {
        for (String key : schema.keyAttributes(index)) {
            if (view.canReadInClear(Path.of(key))) continue;
            String target = index == null ? "the table" : "the index " + index;
            return Optional.of("a " + op + " of " + target + " is ordered and paged by the key attribute '" + key
                    + "', which the caller may not read in the clear");
        }
        return Optional.empty();
    }
}
