package dev.weir.proxy.enforce.read;

import dev.weir.protocol.model.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * One page of the store's answer to the Query or Scan weir sends on a caller's behalf: the
 * stored items (whole, unfiltered, unprojected) in the store's order, and the store's
 * LastEvaluatedKey (null when the store has nothing after them). Never shown to the caller.
 *
 * @param scanned the page's bytes as {@link StoreRead#parse} scanned them, which the
 *                {@link Pager} reads without the item model; null for a page of items.
 *                With it, {@code items} are decoded from it one by one when asked for
 */
public record StorePage(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastEvaluatedKey,
                        ScannedPage scanned) {
    public StorePage {
        items = scanned != null ? scanned.items() : List.copyOf(items);
        lastEvaluatedKey = lastEvaluatedKey == null || lastEvaluatedKey.isEmpty() ? null : Map.copyOf(lastEvaluatedKey);
    }

    /** A page of items. */
    public StorePage(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastEvaluatedKey) {
        this(items, lastEvaluatedKey, null);
    }

    /** A scanned page. */
    static StorePage of(ScannedPage scanned) {
        return new StorePage(List.of(), scanned.lastEvaluatedKey(), scanned);
    }
}
