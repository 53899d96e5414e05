package dev.weir.store.table;

/** Fills a new global secondary index from the items already in its table, in the background. */
@FunctionalInterface
public interface IndexBuilder {
    void backfill(String tableName, long indexId);
}
