package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Metadata a caller may not get because it describes what its view hides (docs/threat-model.md,
 * "Metadata").
 *
 * <ul>
 *   <li><b>Capacity and collection metrics.</b> {@code ConsumedCapacity} (per table, index and
 *       item) counts the bytes of whole stored items, hidden rows and fields included (2.5 read
 *       units for a hidden 20 KB row, 0.5 for a missing key), and {@code ItemCollectionMetrics}
 *       sizes a whole item collection. weir does not try to compute figures that reveal nothing;
 *       it withholds them: a request's {@code ReturnConsumedCapacity} and
 *       {@code ReturnItemCollectionMetrics} go to the store only when the caller's view of every
 *       table the request involves is unrestricted ({@link ReadView#isUnrestricted}); otherwise
 *       weir asks the store for none ({@link #withheldMembers}) and answers without them, as the
 *       store does for a request that asked for none ({@link #withholdFromResponse} removes them
 *       should the store send them anyway).</li>
 *   <li><b>Table descriptions.</b> {@code ItemCount} and {@code TableSizeBytes} of a table, and
 *       {@code ItemCount} and {@code IndexSizeBytes} of each of its indexes, count hidden rows:
 *       a caller whose view of the table is restricted gets the description without them
 *       ({@link #tableResponse}).</li>
 * </ul>
 */
public final class Metadata {
    /** The request members that ask the store for metadata. */
    public static final List<String> REQUEST_MEMBERS = List.of("ReturnConsumedCapacity", "ReturnItemCollectionMetrics");
    /** The response members that carry it. */
    public static final List<String> RESPONSE_MEMBERS = List.of("ConsumedCapacity", "ItemCollectionMetrics");

    private static final List<String> TABLE_FIGURES = List.of("ItemCount", "TableSizeBytes");
    private static final List<String> INDEX_FIGURES = List.of("ItemCount", "IndexSizeBytes");
    private static final List<String> INDEX_LISTS = List.of("GlobalSecondaryIndexes", "LocalSecondaryIndexes");

    private Metadata() {}

    /**
     * Whether the store's capacity and collection figures may reach the caller: only when it has
     * a view of each involved table and every one of them is unrestricted. No views (nothing
     * vouches for the figures) means no.
     *
     * @param views the caller's read view of every table the request involves
     */
    public static boolean mayReport(Collection<ReadView> views) {
        if (views.isEmpty()) return false;
        for (ReadView v : views) if (!v.isUnrestricted()) return false;
        return true;
    }

    /**
     * The members of {@code request} that ask for metadata the caller may not get: each of
     * {@link #REQUEST_MEMBERS} present with a value other than {@code NONE}, unless
     * {@link #mayReport}. The forwarded request is built without them.
     */
    public static List<String> withheldMembers(JsonNode request, Collection<ReadView> views) {
        List<String> out = new ArrayList<>();
        if (mayReport(views)) return out;
        for (String member : REQUEST_MEMBERS) {
            JsonNode v = request.get(member);
            if (v != null && !v.isNull() && !"NONE".equals(v.asText())) out.add(member);
        }
        return out;
    }

    /**
     * Removes {@link #RESPONSE_MEMBERS} from a response to a caller that may not get them
     * (defence in depth: weir did not ask the store for them). Returns whether any was there.
     */
    public static boolean withholdFromResponse(ObjectNode response, Collection<ReadView> views) {
        if (mayReport(views)) return false;
        boolean any = false;
        for (String member : RESPONSE_MEMBERS) any |= response.remove(member) != null;
        return any;
    }

    /**
     * The response of DescribeTable ({@code Table}) or CreateTable, UpdateTable, DeleteTable
     * ({@code TableDescription}) as a caller with {@code view} of that table may see it: a copy
     * without the table's and its indexes' counts and sizes when the view is restricted, the
     * response itself otherwise.
     *
     * @throws IllegalArgumentException for another operation
     */
    public static ObjectNode tableResponse(Operation op, ObjectNode response, ReadView view) {
        String member = switch (op) {
            case DescribeTable -> "Table";
            case CreateTable, UpdateTable, DeleteTable -> "TableDescription";
            default -> throw new IllegalArgumentException(op + " does not answer a table description");
        };
        if (view.isUnrestricted() || !(response.get(member) instanceof ObjectNode description)) return response;
        ObjectNode out = response.deepCopy();
        out.set(member, withoutFigures(description));
        return out;
    }

    /** A copy of a table description without ItemCount, TableSizeBytes and the indexes' ItemCount and IndexSizeBytes. */
    public static ObjectNode withoutFigures(ObjectNode description) {
        ObjectNode out = description.deepCopy();
        out.remove(TABLE_FIGURES);
        for (String list : INDEX_LISTS) {
            for (JsonNode index : out.path(list)) {
                if (index instanceof ObjectNode o) o.remove(INDEX_FIGURES);
            }
        }
        return out;
    }
}
