package dev.weir.store.engine;

import java.util.ArrayList;
import java.util.List;

/** Writes to apply together, atomically, through {@link RocksEngine#write}. */
public final class Batch {
    /** One put, or a delete when {@code value} is null. */
    public record Op(Column column, byte[] key, byte[] value) {}

    private final List<Op> ops = new ArrayList<>();

    public Batch put(Column column, byte[] key, byte[] value) {
        ops.add(new Op(column, key, value));
        return this;
    }

    public Batch delete(Column column, byte[] key) {
        ops.add(new Op(column, key, null));
        return this;
    }

    List<Op> ops() {
        return ops;
    }
}
