package dev.weir.store.table;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Item counts and sizes of tables and indexes, by their id, for DescribeTable. Kept in
 * memory, moved by every write and recounted in the background when the store opens; like
 * DynamoDB's own figures (updated about every six hours) they are approximate.
 */
public final class TableStats {
    private record Counters(AtomicLong items, AtomicLong bytes) {}

    private final ConcurrentHashMap<Long, Counters> byId = new ConcurrentHashMap<>();

    public void add(long id, long items, long bytes) {
        if (items == 0 && bytes == 0) return;
        Counters c = byId.computeIfAbsent(id, k -> new Counters(new AtomicLong(), new AtomicLong()));
        c.items().addAndGet(items);
        c.bytes().addAndGet(bytes);
    }

    public long items(long id) {
        Counters c = byId.get(id);
        return c == null ? 0 : Math.max(0, c.items().get());
    }

    public long bytes(long id) {
        Counters c = byId.get(id);
        return c == null ? 0 : Math.max(0, c.bytes().get());
    }

    public void forget(long id) {
        byId.remove(id);
    }
}
