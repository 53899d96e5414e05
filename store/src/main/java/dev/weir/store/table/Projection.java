package dev.weir.store.table;

import java.util.List;

/** An index projection; {@code nonKeyAttributes} is non-empty only for INCLUDE. */
public record Projection(ProjectionType type, List<String> nonKeyAttributes) {
    public Projection {
        nonKeyAttributes = List.copyOf(nonKeyAttributes);
    }
}
