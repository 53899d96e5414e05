package dev.weir.protocol.value;

import dev.weir.protocol.error.DynamoException;

/**
 * DynamoDB's limit on an attribute name: 64 KB, that is at most 65,535 UTF-8 bytes (a name of
 * 65,536 is refused, whatever the documentation's "64 KB" suggests). It applies to the names of
 * an item's attributes, of the entries of its maps, and of ExpressionAttributeNames. Checked
 * when a request is validated, after it is read: DynamoDB reads the whole request first, so a
 * member of the wrong JSON shape elsewhere is a SerializationException even then.
 */
public final class AttributeName {
    /** DynamoDB's longest attribute name, in UTF-8 bytes. */
    public static final int MAX_BYTES = 65_535;
    /** DynamoDB's message for a longer one, wherever it is (an item, a map in a value, ExpressionAttributeNames). */
    public static final String TOO_LARGE = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";

    private AttributeName() {}

    /** Refuses a name over {@link #MAX_BYTES}, with DynamoDB's message; counted without encoding the name. */
    public static void check(String name) {
        if (name.length() <= MAX_BYTES / 3) return;   // three bytes per UTF-16 unit at most
        if (Utf8.length(name) > MAX_BYTES) {
            throw DynamoException.validation(TOO_LARGE);
        }
    }
}
