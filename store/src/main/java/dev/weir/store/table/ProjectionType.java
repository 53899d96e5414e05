package dev.weir.store.table;

/** Which attributes an index copies from the item. */
public enum ProjectionType {
    ALL, KEYS_ONLY, INCLUDE
}
