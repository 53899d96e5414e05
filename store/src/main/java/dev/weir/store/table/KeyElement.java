package dev.weir.store.table;

/** One key attribute of a table: its name and type. */
public record KeyElement(String name, ScalarType type) {}
