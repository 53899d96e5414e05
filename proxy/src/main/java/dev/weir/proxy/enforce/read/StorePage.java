package dev.weir.proxy.enforce.read;

import dev.weir.protocol.model.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * One page of the store's answer to the Query or Scan weir sends on a caller's behalf: the
 * stored items (whole, unfiltered, unprojected) in the store's order, and the store's
 * LastEvaluatedKey (null when the store has nothing after them). Never shown to the caller.
 */
public record StorePage(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastEvaluatedKey) {
    public StorePage {
        items = List.copyOf(items);
        lastEvaluatedKey = lastEvaluatedKey == null || lastEvaluatedKey.isEmpty() ? null : Map.copyOf(lastEvaluatedKey);
    }
}
