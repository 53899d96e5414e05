package dev.weir.store.query;

import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.codec.ItemCodec;
import dev.weir.store.engine.Cursor;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.value.ItemSize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads one page of a Query or Scan with a RocksDB iterator over a key range of a table or
 * index, in either direction, from a consistent snapshot: items are evaluated (counted
 * against Limit and the 1 MB page) before the filter, as DynamoDB evaluates them, and the
 * page ends with a LastEvaluatedKey when Limit or the page size stopped it.
 */
public final class PageScanner {
    /** DynamoDB's page: reading stops once this much item data was evaluated. */
    public static final long MAX_PAGE_BYTES = 1024 * 1024;

    /**
     * What to read. {@code end} is exclusive; {@code resolve} turns a stored entry into the
     * item the filter sees (an LSI entry into the table's item, say); {@code output} shapes a
     * matching item for the response (null when only counting).
     */
    public record Request(ReadTarget target, byte[] start, byte[] end, boolean forward, byte[] exclusiveStart,
                          Integer limit, Condition filter, UnaryOperator<Map<String, AttributeValue>> resolve,
                          UnaryOperator<Map<String, AttributeValue>> output, int segment, int totalSegments) {}

    /** One page: matching items (shaped), Count, ScannedCount, LastEvaluatedKey (or null), bytes evaluated. */
    public record Page(List<Map<String, AttributeValue>> items, int count, int scanned,
                       Map<String, AttributeValue> lastEvaluatedKey, long bytesRead) {}

    private final RocksEngine engine;

    public PageScanner(RocksEngine engine) {
        this.engine = engine;
    }

    public Page read(Request r) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        int count = 0;
        int scanned = 0;
        long bytes = 0;
        Map<String, AttributeValue> lastEvaluated = null;
        try (Cursor c = engine.cursor(r.target().column())) {
            position(c, r);
            while (c.valid()) {
                byte[] key = c.key();
                if (r.forward() ? Arrays.compareUnsigned(key, r.end()) >= 0 : Arrays.compareUnsigned(key, r.start()) < 0) break;
                if (r.totalSegments() > 1 && segmentOf(r.target(), key, r.totalSegments()) != r.segment()) {
                    advance(c, r);
                    continue;
                }
                Map<String, AttributeValue> entry = ItemCodec.decode(c.value());
                advance(c, r);
                scanned++;
                bytes += ItemSize.of(entry);
                Map<String, AttributeValue> item = r.resolve() == null ? entry : r.resolve().apply(entry);
                if (item != null && (r.filter() == null || r.filter().test(item))) {
                    count++;
                    if (r.output() != null) out.add(r.output().apply(item));
                }
                if ((r.limit() != null && scanned >= r.limit()) || bytes >= MAX_PAGE_BYTES) {
                    lastEvaluated = r.target().lastEvaluatedKey(entry);
                    break;
                }
            }
        }
        return new Page(out, count, scanned, lastEvaluated, bytes);
    }

    private static void position(Cursor c, Request r) {
        byte[] esk = r.exclusiveStart();
        if (r.forward()) {
            if (esk != null && Arrays.compareUnsigned(esk, r.start()) >= 0) {
                c.seek(esk);
                if (c.valid() && Arrays.equals(c.key(), esk)) c.next();
            } else {
                c.seek(r.start());
            }
        } else {
            byte[] bound = esk != null && Arrays.compareUnsigned(esk, r.end()) < 0 ? esk : r.end();
            c.seekForPrev(bound);
            if (c.valid() && Arrays.equals(c.key(), bound)) c.prev();
        }
    }

    private static void advance(Cursor c, Request r) {
        if (r.forward()) c.next();
        else c.prev();
    }

    /** The parallel-scan segment of a key: a hash of its partition key, so a partition stays in one segment. */
    static int segmentOf(ReadTarget target, byte[] key, int totalSegments) {
        int from = target.hashOffset();
        int length = target.partitionLength(key);
        int h = 1;
        for (int i = from; i < from + length; i++) h = 31 * h + key[i];
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return Math.floorMod(h, totalSegments);
    }
}
