package dev.weir.store.engine;

import java.util.ArrayList;
import java.util.List;

/** Writes to apply together, atomically, through {@link RocksEngine#write}. */
public final class Batch {
    /** One put, a delete when {@code value} is null, or a range delete when {@code end} is set. */
    public record Op(Column column, byte[] key, byte[] value, byte[] end) {}

    private final List<Op> ops = new ArrayList<>();

    public Batch put(Column column, byte[] key, byte[] value) {
        ops.add(new Op(column, key, value, null));
        return this;
    }

    public Batch delete(Column column, byte[] key) {
        ops.add(new Op(column, key, null, null));
        return this;
    }

    /** Deletes every key from {@code begin} (inclusive) to {@code end} (exclusive). */
    public Batch deleteRange(Column column, byte[] begin, byte[] end) {
        ops.add(new Op(column, begin, null, end));
        return this;
    }

    /** Appends every operation of {@code other}. */
    public Batch addAll(Batch other) {
        ops.addAll(other.ops);
        return this;
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    List<Op> ops() {
        return ops;
    }
}
