package dev.weir.store.table;

import java.util.List;

/** A validated CreateTable request: what the new table should be. */
public record TableSpec(
        String name,
        KeySchema keySchema,
        List<KeyElement> attributeDefinitions,
        BillingMode billingMode,
        Throughput throughput) {

    public TableSpec {
        attributeDefinitions = List.copyOf(attributeDefinitions);
    }
}
