package dev.weir.store.table;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A secondary index of a table. {@code id} prefixes the index's entries in the
 * {@code indexes} column family; ids come from the same sequence as table ids and are never
 * reused, so the entries of a dropped index can never be mistaken for a new one's.
 */
public record IndexDefinition(
        long id,
        String name,
        IndexKind kind,
        KeySchema keySchema,
        Projection projection,
        Throughput throughput,
        IndexStatus status) {

    public IndexDefinition withId(long newId) {
        return new IndexDefinition(newId, name, kind, keySchema, projection, throughput, status);
    }

    public IndexDefinition withStatus(IndexStatus newStatus) {
        return new IndexDefinition(id, name, kind, keySchema, projection, throughput, newStatus);
    }

    public IndexDefinition withThroughput(Throughput newThroughput) {
        return new IndexDefinition(id, name, kind, keySchema, projection, newThroughput, status);
    }

    public boolean isGlobal() {
        return kind == IndexKind.GLOBAL;
    }

    /** The attributes an entry carries for a non-ALL projection: both key schemas, then INCLUDE's names. */
    public Set<String> projectedAttributes(KeySchema tableKeys) {
        Set<String> names = new LinkedHashSet<>();
        tableKeys.elements().forEach(e -> names.add(e.name()));
        keySchema.elements().forEach(e -> names.add(e.name()));
        names.addAll(projection.nonKeyAttributes());
        return names;
    }
}
