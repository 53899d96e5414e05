package dev.weir.store.table;

import dev.weir.store.stream.StreamViewType;

import java.util.List;
import java.util.Map;

/**
 * A validated CreateTable request: what the new table should be (index ids not yet assigned);
 * {@code stream} is the view type of the change stream to enable, or null.
 */
public record TableSpec(
        String name,
        KeySchema keySchema,
        List<KeyElement> attributeDefinitions,
        BillingMode billingMode,
        Throughput throughput,
        List<IndexDefinition> indexes,
        Map<String, String> tags,
        Sse sse,
        StreamViewType stream) {

    public TableSpec {
        attributeDefinitions = List.copyOf(attributeDefinitions);
        indexes = List.copyOf(indexes);
        tags = Map.copyOf(tags);
    }
}
