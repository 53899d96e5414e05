package dev.weir.store.item;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.table.KeyElement;
import dev.weir.store.table.KeySchema;
import dev.weir.store.table.ScalarType;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Takes a primary key out of an item or a Key member, with DynamoDB's checks and messages. */
public final class ItemKeys {
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final String NOT_VALID = "One or more parameter values are not valid. ";
    private static final String SCHEMA_MISMATCH = "The provided key element does not match the schema";
    public static final int MAX_HASH_KEY_BYTES = 2048;
    public static final int MAX_RANGE_KEY_BYTES = 1024;

    private ItemKeys() {}

    /** The key of an item to write (PutItem): every key attribute present with its type; other attributes allowed. */
    public static PrimaryKey ofItem(KeySchema schema, Map<String, AttributeValue> item) {
        AttributeValue hash = itemKeyValue(schema.hash(), item);
        AttributeValue range = schema.range().map(r -> itemKeyValue(r, item)).orElse(null);
        return checked(schema, hash, range);
    }

    /** The key of an item to read or delete (GetItem): exactly the key attributes. */
    public static PrimaryKey ofKey(KeySchema schema, Map<String, AttributeValue> key) {
        if (key.size() != schema.elements().size()) throw DynamoException.validation(SCHEMA_MISMATCH);
        AttributeValue hash = keyValue(schema.hash(), key);
        AttributeValue range = schema.range().map(r -> keyValue(r, key)).orElse(null);
        return checked(schema, hash, range);
    }

    private static AttributeValue itemKeyValue(KeyElement element, Map<String, AttributeValue> item) {
        AttributeValue v = item.get(element.name());
        if (v == null) throw DynamoException.validation(INVALID + "Missing the key " + element.name() + " in the item");
        if (ScalarType.of(v) != element.type()) {
            throw DynamoException.validation(INVALID + "Type mismatch for key " + element.name()
                    + " expected: " + element.type() + " actual: " + v.typeTag());
        }
        return v;
    }

    private static AttributeValue keyValue(KeyElement element, Map<String, AttributeValue> key) {
        AttributeValue v = key.get(element.name());
        if (v == null || ScalarType.of(v) != element.type()) throw DynamoException.validation(SCHEMA_MISMATCH);
        return v;
    }

    private static PrimaryKey checked(KeySchema schema, AttributeValue hash, AttributeValue range) {
        nonEmpty(schema.hash(), hash);
        if (size(hash) > MAX_HASH_KEY_BYTES) {
            throw DynamoException.validation(INVALID + "Size of hashkey has exceeded the maximum size limit of"
                    + MAX_HASH_KEY_BYTES + " bytes");
        }
        if (range != null) {
            nonEmpty(schema.range().orElseThrow(), range);
            if (size(range) > MAX_RANGE_KEY_BYTES) {
                throw DynamoException.validation(INVALID + "Aggregated size of all range keys has exceeded the size limit of "
                        + MAX_RANGE_KEY_BYTES + " bytes");
            }
        }
        return new PrimaryKey(hash, range);
    }

    private static void nonEmpty(KeyElement element, AttributeValue v) {
        String kind = switch (v) {
            case AttributeValue.S s when s.value().isEmpty() -> "string";
            case AttributeValue.B b when b.value().length() == 0 -> "binary";
            default -> null;
        };
        if (kind != null) {
            throw DynamoException.validation(NOT_VALID + "The AttributeValue for a key attribute cannot contain an empty "
                    + kind + " value. Key: " + element.name());
        }
    }

    /** The size DynamoDB counts for a key value. */
    public static int size(AttributeValue v) {
        return switch (v) {
            case AttributeValue.S s -> s.value().getBytes(StandardCharsets.UTF_8).length;
            case AttributeValue.B b -> b.value().length();
            case AttributeValue.N n -> n.value().length() / 2 + 1;
            default -> 0;
        };
    }
}
