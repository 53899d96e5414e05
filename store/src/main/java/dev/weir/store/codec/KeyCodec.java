package dev.weir.store.codec;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.value.DynamoNumber;

import java.nio.charset.StandardCharsets;

/**
 * The RocksDB key of an item: the table's numeric id (8 bytes, big-endian), then the hash key,
 * then the range key if the table has one, each in an {@link OrderedBytes} encoding. All items
 * of a table share the id prefix, all items of a partition share the id-and-hash prefix, and
 * within a partition items sort by range key as DynamoDB sorts them.
 */
public final class KeyCodec {
    private KeyCodec() {}

    /** The key of one item; {@code range} is null for a table without a range key. */
    public static byte[] encode(long tableId, AttributeValue hash, AttributeValue range) {
        ByteWriter out = new ByteWriter(32);
        out.writeLong(tableId);
        writeComponent(out, hash);
        if (range != null) writeComponent(out, range);
        return out.toByteArray();
    }

    /** The prefix every item key of a table starts with. */
    public static byte[] tablePrefix(long tableId) {
        return new ByteWriter(8).writeLong(tableId).toByteArray();
    }

    /** The smallest key greater than every key starting with {@code prefix}, or null if there is none. */
    public static byte[] successor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if ((prefix[i] & 0xFF) != 0xFF) {
                byte[] out = java.util.Arrays.copyOf(prefix, i + 1);
                out[i]++;
                return out;
            }
        }
        return null;
    }

    /** One key component; the value must be an S, N or B. */
    public static void writeComponent(ByteWriter out, AttributeValue value) {
        switch (value) {
            case AttributeValue.S s -> OrderedBytes.writeBytes(out, s.value().getBytes(StandardCharsets.UTF_8));
            case AttributeValue.B b -> OrderedBytes.writeBytes(out, b.value().array());
            case AttributeValue.N n -> OrderedBytes.writeNumber(out, DynamoNumber.parse(n.value()));
            default -> throw new IllegalArgumentException("not a key type: " + value.typeTag());
        }
    }
}
