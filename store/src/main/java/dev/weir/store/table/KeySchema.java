package dev.weir.store.table;

import java.util.List;
import java.util.Optional;

/** A table's primary key: a hash key and an optional range key. */
public record KeySchema(KeyElement hash, Optional<KeyElement> range) {
    /**
     * DynamoDB's longest name of a key attribute (of a table or an index) and of an attribute
     * an index projects by name: 255 characters, where other attribute names may have 64 KB.
     */
    public static final int MAX_NAME_LENGTH = 255;

    public static KeySchema of(KeyElement hash, KeyElement rangeOrNull) {
        return new KeySchema(hash, Optional.ofNullable(rangeOrNull));
    }

    /** The key elements, hash first. */
    public List<KeyElement> elements() {
        return range.map(r -> List.of(hash, r)).orElseGet(() -> List.of(hash));
    }
}
