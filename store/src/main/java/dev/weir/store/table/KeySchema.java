package dev.weir.store.table;

import java.util.List;
import java.util.Optional;

/** A table's primary key: a hash key and an optional range key. */
public record KeySchema(KeyElement hash, Optional<KeyElement> range) {

    public static KeySchema of(KeyElement hash, KeyElement rangeOrNull) {
        return new KeySchema(hash, Optional.ofNullable(rangeOrNull));
    }

    /** The key elements, hash first. */
    public List<KeyElement> elements() {
        return range.map(r -> List.of(hash, r)).orElseGet(() -> List.of(hash));
    }
}
