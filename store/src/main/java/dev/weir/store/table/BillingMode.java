package dev.weir.store.table;

/** How a table is billed; accepted and reported, without effect on the bundled store. */
public enum BillingMode {
    PROVISIONED, PAY_PER_REQUEST
}
