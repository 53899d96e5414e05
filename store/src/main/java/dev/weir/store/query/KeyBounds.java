package dev.weir.store.query;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.expr.KeyCondition;
import dev.weir.protocol.expr.RangeCondition;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.store.codec.ByteWriter;
import dev.weir.store.codec.KeyCodec;
import dev.weir.store.codec.OrderedBytes;
import dev.weir.store.table.KeyElement;
import dev.weir.store.table.KeySchema;
import dev.weir.store.table.ScalarType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The key range a Query reads: the partition's prefix (every partition attribute's value)
 * narrowed by the sort key conditions: the equalities on the leading sort attributes extend
 * the prefix, and the condition on the last one given bounds it. Because key components are
 * order-preserving and self-delimiting, every such condition is one contiguous range of
 * stored keys.
 */
record KeyBounds(byte[] start, byte[] end) {
    private static final String TYPE_MISMATCH =
            "One or more parameter values were invalid: Condition parameter type does not match schema type";

    static KeyBounds of(ReadTarget target, KeyCondition condition) {
        KeySchema keys = target.keySchema();
        for (int i = 0; i < keys.hashes().size(); i++) checkType(keys.hashes().get(i), condition.hashValues().get(i));
        byte[] partition = target.partitionPrefix(condition.hashValues());
        List<RangeCondition> sort = condition.sort();
        // the equalities on the leading sort attributes narrow the partition to one contiguous run
        for (int i = 0; i + 1 < sort.size(); i++) {
            partition = with(partition, keys.ranges().get(i), ((RangeCondition.Eq) sort.get(i)).value());
        }
        byte[] partitionEnd = KeyCodec.successor(partition);
        RangeCondition range = condition.range();
        if (range == null) return new KeyBounds(partition, partitionEnd);
        KeyElement rangeKey = keys.ranges().get(sort.size() - 1);
        return switch (range) {
            case RangeCondition.Eq eq -> {
                byte[] at = with(partition, rangeKey, eq.value());
                yield new KeyBounds(at, KeyCodec.successor(at));
            }
            case RangeCondition.Lt lt -> new KeyBounds(partition, with(partition, rangeKey, lt.value()));
            case RangeCondition.Le le -> new KeyBounds(partition, KeyCodec.successor(with(partition, rangeKey, le.value())));
            case RangeCondition.Gt gt -> new KeyBounds(KeyCodec.successor(with(partition, rangeKey, gt.value())), partitionEnd);
            case RangeCondition.Ge ge -> new KeyBounds(with(partition, rangeKey, ge.value()), partitionEnd);
            case RangeCondition.Between between -> {
                byte[] low = with(partition, rangeKey, between.low());
                byte[] high = with(partition, rangeKey, between.high());
                if (Arrays.compareUnsigned(low, high) > 0) {
                    throw DynamoException.validation("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound "
                            + "to be greater than or equal to lower bound; lower bound operand: AttributeValue: "
                            + shown(between.low()) + ", upper bound operand: AttributeValue: " + shown(between.high()));
                }
                yield new KeyBounds(low, KeyCodec.successor(high));
            }
            case RangeCondition.BeginsWith begins -> {
                AttributeValue prefix = begins.prefix();
                if (rangeKey.type() == ScalarType.N || ScalarType.of(prefix) == ScalarType.N) {
                    throw DynamoException.validation("Invalid KeyConditionExpression: Incorrect operand type for operator or "
                            + "function; operator or function: begins_with, operand type: " + prefix.typeTag());
                }
                checkType(rangeKey, prefix);
                ByteWriter out = new ByteWriter(partition.length + 16);
                out.write(partition);
                OrderedBytes.writeBytesPrefix(out, switch (prefix) {
                    case AttributeValue.S s -> s.value().getBytes(StandardCharsets.UTF_8);
                    case AttributeValue.B b -> b.value().array();
                    default -> throw new IllegalStateException();
                });
                byte[] from = out.toByteArray();
                yield new KeyBounds(from, KeyCodec.successor(from));
            }
        };
    }

    private static byte[] with(byte[] partition, KeyElement rangeKey, AttributeValue value) {
        checkType(rangeKey, value);
        ByteWriter out = new ByteWriter(partition.length + 16);
        out.write(partition);
        KeyCodec.writeComponent(out, value);
        return out.toByteArray();
    }

    private static void checkType(KeyElement key, AttributeValue value) {
        if (ScalarType.of(value) != key.type()) throw DynamoException.validation(TYPE_MISMATCH);
    }

    private static String shown(AttributeValue v) {
        return AttributeValueJson.toJson(v).toString().replace("\"", "");
    }
}
