package dev.weir.store.table;

/** An index is CREATING while a background backfill fills it, then ACTIVE. */
public enum IndexStatus {
    CREATING, ACTIVE
}
