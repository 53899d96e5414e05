package dev.weir.store.table;

/** Global secondary indexes have their own hash key; local ones share the table's. */
public enum IndexKind {
    GLOBAL, LOCAL
}
