package dev.weir.store.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A key schema: one or more partition (hash) attributes and zero or more sort (range)
 * attributes, each list in the order the KeySchema gives them. A table's key and a local
 * index's have one partition attribute and at most one sort attribute; a global index may
 * have up to {@link #MAX_MULTI_ATTRIBUTES} of each (DynamoDB's multi-attribute keys).
 */
public record KeySchema(List<KeyElement> hashes, List<KeyElement> ranges) {
    /**
     * DynamoDB's longest name of a key attribute (of a table or an index) and of an attribute
     * an index projects by name: 255 characters, where other attribute names may have 64 KB.
     */
    public static final int MAX_NAME_LENGTH = 255;

    /** The most partition attributes, and the most sort attributes, of a global index's key. */
    public static final int MAX_MULTI_ATTRIBUTES = 4;

    public KeySchema {
        hashes = List.copyOf(hashes);
        ranges = List.copyOf(ranges);
        if (hashes.isEmpty()) throw new IllegalArgumentException("a key schema has a partition key");
    }

    public static KeySchema of(KeyElement hash, KeyElement rangeOrNull) {
        return new KeySchema(List.of(hash), rangeOrNull == null ? List.of() : List.of(rangeOrNull));
    }

    /** Whether it has more than one partition or more than one sort attribute. */
    public boolean isMultiAttribute() {
        return hashes.size() > 1 || ranges.size() > 1;
    }

    /**
     * The one partition attribute.
     *
     * @throws IllegalStateException for a multi-attribute partition key: its users read {@link #hashes()}
     */
    public KeyElement hash() {
        if (hashes.size() != 1) throw new IllegalStateException("a multi-attribute partition key");
        return hashes.get(0);
    }

    /**
     * The one sort attribute, if any.
     *
     * @throws IllegalStateException for a multi-attribute sort key: its users read {@link #ranges()}
     */
    public Optional<KeyElement> range() {
        if (ranges.size() > 1) throw new IllegalStateException("a multi-attribute sort key");
        return ranges.isEmpty() ? Optional.empty() : Optional.of(ranges.get(0));
    }

    /** The key elements, partition attributes first, each list in order. */
    public List<KeyElement> elements() {
        List<KeyElement> out = new ArrayList<>(hashes.size() + ranges.size());
        out.addAll(hashes);
        out.addAll(ranges);
        return List.copyOf(out);
    }
}
