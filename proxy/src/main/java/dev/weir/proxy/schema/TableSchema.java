package dev.weir.proxy.schema;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys and indexes of one of the upstream's tables, as its DescribeTable says: what weir
 * needs to page a read itself (the attributes of a LastEvaluatedKey), to judge a row filter
 * on an index (does the index project what the filter reads) and to know which key orders a
 * read (a caller must read it in clear).
 *
 * @param table    the table's name
 * @param hashKey  the table's partition key
 * @param rangeKey the table's sort key, or null
 * @param indexes  its local and global secondary indexes, in the order described
 */
public record TableSchema(String table, String hashKey, String rangeKey, List<Index> indexes) {
    public TableSchema {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(hashKey, "hashKey");
        indexes = List.copyOf(indexes);
    }

    /** Global or local secondary index. */
    public enum Kind { GLOBAL, LOCAL }

    /** What an index holds of each item besides the keys. */
    public enum ProjectionType { ALL, KEYS_ONLY, INCLUDE }

    /**
     * One secondary index.
     *
     * @param hashKey          its partition key (a local index's is the table's)
     * @param rangeKey         its sort key, or null
     * @param nonKeyAttributes the attributes an {@code INCLUDE} index holds besides the keys; empty otherwise
     */
    public record Index(String name, Kind kind, String hashKey, String rangeKey, ProjectionType projection,
                        List<String> nonKeyAttributes) {
        public Index {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(hashKey, "hashKey");
            Objects.requireNonNull(projection, "projection");
            nonKeyAttributes = List.copyOf(nonKeyAttributes);
        }
    }

    /** The index named so, or empty when the table has none of that name (the store then refuses the read). */
    public Optional<Index> index(String name) {
        for (Index i : indexes) if (i.name.equals(name)) return Optional.of(i);
        return Optional.empty();
    }

    /**
     * The keys a read of the table (null) or of an index is ordered by: the partition key, then
     * the sort key when there is one. A Query's order follows the sort key, a Scan's both.
     *
     * @throws IllegalArgumentException when the table has no such index
     */
    public List<String> orderKeys(String indexOrNull) {
        if (indexOrNull == null) return keys(hashKey, rangeKey);
        Index i = require(indexOrNull);
        return keys(i.hashKey, i.rangeKey);
    }

    /**
     * The attributes of a key that names a position in a read of the table (null) or of an
     * index, as a LastEvaluatedKey or ExclusiveStartKey holds them: the table's keys, and for an
     * index its keys too (distinct, table keys first).
     *
     * @throws IllegalArgumentException when the table has no such index
     */
    public List<String> keyAttributes(String indexOrNull) {
        LinkedHashSet<String> out = new LinkedHashSet<>(keys(hashKey, rangeKey));
        if (indexOrNull != null) {
            Index i = require(indexOrNull);
            out.addAll(keys(i.hashKey, i.rangeKey));
        }
        return List.copyOf(out);
    }

    /**
     * Whether a read of the table (null: always) or of the index returns the attribute: a key
     * of it (see {@link #keyAttributes}), or any attribute for {@code ALL}, or one of the
     * {@code NonKeyAttributes} of {@code INCLUDE}. False for an index the table does not have.
     */
    public boolean projects(String indexOrNull, String attribute) {
        if (indexOrNull == null) return true;
        Optional<Index> found = index(indexOrNull);
        if (found.isEmpty()) return false;
        Index i = found.get();
        return switch (i.projection) {
            case ALL -> true;
            case KEYS_ONLY -> keyAttributes(indexOrNull).contains(attribute);
            case INCLUDE -> keyAttributes(indexOrNull).contains(attribute) || i.nonKeyAttributes.contains(attribute);
        };
    }

    /**
     * The schema a table description gives (DescribeTable's {@code Table}, or the
     * {@code TableDescription} of CreateTable, UpdateTable and DeleteTable).
     *
     * @throws IllegalStateException when the description lacks what a schema needs: weir
     *                               then cannot enforce reads on the table and refuses them
     */
    public static TableSchema fromDescription(JsonNode description) {
        String name = text(description, "TableName");
        String[] keys = keySchema(description.path("KeySchema"), name);
        List<Index> indexes = new ArrayList<>();
        for (JsonNode n : description.path("LocalSecondaryIndexes")) indexes.add(index(n, Kind.LOCAL, name));
        for (JsonNode n : description.path("GlobalSecondaryIndexes")) indexes.add(index(n, Kind.GLOBAL, name));
        return new TableSchema(name, keys[0], keys[1], indexes);
    }

    private Index require(String name) {
        return index(name).orElseThrow(() -> new IllegalArgumentException("table " + table + " has no index " + name));
    }

    private static List<String> keys(String hash, String range) {
        return range == null ? List.of(hash) : List.of(hash, range);
    }

    private static Index index(JsonNode n, Kind kind, String table) {
        String name = text(n, "IndexName");
        String[] keys = keySchema(n.path("KeySchema"), table + " index " + name);
        JsonNode projection = n.path("Projection");
        ProjectionType type;
        try {
            type = ProjectionType.valueOf(text(projection, "ProjectionType"));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("index " + name + " of " + table + " has an unknown ProjectionType");
        }
        List<String> nonKey = new ArrayList<>();
        if (type == ProjectionType.INCLUDE) for (JsonNode a : projection.path("NonKeyAttributes")) nonKey.add(a.asText());
        return new Index(name, kind, keys[0], keys[1], type, nonKey);
    }

    /** {hash, range or null} of a KeySchema. */
    private static String[] keySchema(JsonNode schema, String what) {
        String hash = null;
        String range = null;
        for (JsonNode k : schema) {
            String type = k.path("KeyType").asText();
            String attribute = text(k, "AttributeName");
            if (type.equals("HASH") && hash == null) hash = attribute;
            else if (type.equals("RANGE") && range == null) range = attribute;
            else throw new IllegalStateException("the KeySchema of " + what + " is not one HASH and at most one RANGE key");
        }
        if (hash == null) throw new IllegalStateException("the KeySchema of " + what + " has no HASH key");
        return new String[] {hash, range};
    }

    private static String text(JsonNode n, String member) {
        JsonNode v = n.path(member);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalStateException("a table description without " + member);
        }
        return v.asText();
    }
}
