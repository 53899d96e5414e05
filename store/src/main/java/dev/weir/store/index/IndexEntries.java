package dev.weir.store.index;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.item.ItemKeys;
import dev.weir.store.item.PrimaryKey;
import dev.weir.store.table.IndexDefinition;
import dev.weir.store.table.KeyElement;
import dev.weir.store.table.ProjectionType;
import dev.weir.store.table.ScalarType;
import dev.weir.store.table.TableDefinition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an item contributes to a secondary index: nothing when it lacks one of the index's
 * key attributes (indexes are sparse), otherwise one entry carrying the projected
 * attributes.
 */
public final class IndexEntries {
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final String NOT_VALID = "One or more parameter values are not valid. ";

    /** One entry: its key in the {@code indexes} column family and the attributes it carries. */
    public record Entry(byte[] key, Map<String, AttributeValue> projected) {}

    private IndexEntries() {}

    /**
     * The entry of {@code item} in {@code index}, or null if the item is not in the index
     * (an index key attribute is absent, or, for items written before the index existed, of
     * another type or empty).
     */
    public static Entry of(TableDefinition table, IndexDefinition index, PrimaryKey key, Map<String, AttributeValue> item) {
        List<AttributeValue> hashes = keyValues(index.keySchema().hashes(), item);
        if (hashes == null) return null;
        List<AttributeValue> ranges = keyValues(index.keySchema().ranges(), item);
        if (ranges == null) return null;
        return new Entry(IndexKeys.encode(index, hashes, ranges, key), project(table, index, item));
    }

    /** The values of the elements, or null when the item lacks one (an item lacking any key attribute is not indexed). */
    private static List<AttributeValue> keyValues(List<KeyElement> elements, Map<String, AttributeValue> item) {
        List<AttributeValue> out = new ArrayList<>(elements.size());
        for (KeyElement e : elements) {
            AttributeValue v = keyValue(e, item);
            if (v == null) return null;
            out.add(v);
        }
        return out;
    }

    private static AttributeValue keyValue(KeyElement element, Map<String, AttributeValue> item) {
        AttributeValue v = item.get(element.name());
        if (v == null || ScalarType.of(v) != element.type()) return null;
        return switch (v) {
            case AttributeValue.S s when s.value().isEmpty() -> null;
            case AttributeValue.B b when b.value().length() == 0 -> null;
            default -> v;
        };
    }

    /** The attributes of {@code item} that {@code index} projects. */
    public static Map<String, AttributeValue> project(TableDefinition table, IndexDefinition index, Map<String, AttributeValue> item) {
        if (index.projection().type() == ProjectionType.ALL) return item;
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (String name : index.projectedAttributes(table.keySchema())) {
            AttributeValue v = item.get(name);
            if (v != null) out.put(name, v);
        }
        return out;
    }

    /**
     * Refuses an item whose index key attributes have the wrong type, are empty or too large,
     * with DynamoDB's messages; an absent index key attribute is fine.
     */
    public static void validate(TableDefinition table, Map<String, AttributeValue> item) {
        for (IndexDefinition index : table.indexes()) {
            for (KeyElement e : index.keySchema().elements()) {
                AttributeValue v = item.get(e.name());
                if (v == null) continue;
                if (ScalarType.of(v) != e.type()) {
                    throw DynamoException.validation(INVALID + "Type mismatch for Index Key " + e.name() + " Expected: "
                            + e.type() + " Actual: " + v.typeTag() + " IndexName: " + index.name());
                }
                String empty = switch (v) {
                    case AttributeValue.S s when s.value().isEmpty() -> "string";
                    case AttributeValue.B b when b.value().length() == 0 -> "binary";
                    default -> null;
                };
                if (empty != null) {
                    throw DynamoException.validation(NOT_VALID + "A value specified for a secondary index key is not supported. "
                            + "The AttributeValue for a key attribute cannot contain an empty " + empty + " value. IndexName: "
                            + index.name() + ", IndexKey: " + e.name());
                }
                boolean isHash = index.keySchema().hashes().contains(e);
                int max = isHash ? ItemKeys.MAX_HASH_KEY_BYTES : ItemKeys.MAX_RANGE_KEY_BYTES;
                if (ItemKeys.size(v) > max) {
                    throw DynamoException.validation(INVALID + (isHash
                            ? "Size of hashkey has exceeded the maximum size limit of" + max + " bytes"
                            : "Aggregated size of all range keys has exceeded the size limit of " + max + " bytes"));
                }
            }
        }
    }
}
