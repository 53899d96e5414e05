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

    /** The most partition attributes, and the most sort attributes, of a global index (DynamoDB's multi-attribute keys). */
    public static final int MAX_MULTI_ATTRIBUTES = 4;

    /** Global or local secondary index. */
    public enum Kind { GLOBAL, LOCAL }

    /** What an index holds of each item besides the keys. */
    public enum ProjectionType { ALL, KEYS_ONLY, INCLUDE }

    /**
     * One secondary index.
     *
     * @param hashKeys         its partition attributes, in key schema order (a local index's is the table's; a
     *                         global index may have up to four: multi-attribute keys)
     * @param rangeKeys        its sort attributes, in key schema order (none, one, or for a global index up to four)
     * @param nonKeyAttributes the attributes an {@code INCLUDE} index holds besides the keys; empty otherwise
     */
    public record Index(String name, Kind kind, List<String> hashKeys, List<String> rangeKeys, ProjectionType projection,
                        List<String> nonKeyAttributes) {
        public Index {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            hashKeys = List.copyOf(hashKeys);
            rangeKeys = List.copyOf(rangeKeys);
            if (hashKeys.isEmpty()) throw new IllegalArgumentException("index " + name + " has no partition key");
            Objects.requireNonNull(projection, "projection");
            nonKeyAttributes = List.copyOf(nonKeyAttributes);
        }

        /** An index of one partition attribute and an optional (null) sort attribute. */
        public Index(String name, Kind kind, String hashKey, String rangeKey, ProjectionType projection,
                     List<String> nonKeyAttributes) {
            this(name, kind, List.of(Objects.requireNonNull(hashKey, "hashKey")),
                    rangeKey == null ? List.of() : List.of(rangeKey), projection, nonKeyAttributes);
        }

        /** Its key attributes: the partition attributes, then the sort attributes, each in key schema order. */
        public List<String> keys() {
            List<String> out = new ArrayList<>(hashKeys);
            out.addAll(rangeKeys);
            return List.copyOf(out);
        }
    }

    /** The index named so, or empty when the table has none of that name (the store then refuses the read). */
    public Optional<Index> index(String name) {
        for (Index i : indexes) if (i.name.equals(name)) return Optional.of(i);
        return Optional.empty();
    }

    /**
     * The keys a read of the table (null) or of an index is ordered by: the partition key's
     * attributes, then the sort key's, each in key schema order (one of each for a table; up to
     * four of each for a global index with multi-attribute keys). A Query's order follows the
     * sort attributes, a Scan's all of them.
     *
     * @throws IllegalArgumentException when the table has no such index
     */
    public List<String> orderKeys(String indexOrNull) {
        if (indexOrNull == null) return keys(hashKey, rangeKey);
        return require(indexOrNull).keys();
    }

    /**
     * The partition attributes of the table (null) or of an index, in key schema order.
     *
     * @throws IllegalArgumentException when the table has no such index
     */
    public List<String> partitionKeys(String indexOrNull) {
        if (indexOrNull == null) return List.of(hashKey);
        return require(indexOrNull).hashKeys();
    }

    /**
     * The sort attributes of the table (null) or of an index, in key schema order; empty when it has none.
     *
     * @throws IllegalArgumentException when the table has no such index
     */
    public List<String> sortKeys(String indexOrNull) {
        if (indexOrNull == null) return rangeKey == null ? List.of() : List.of(rangeKey);
        return require(indexOrNull).rangeKeys();
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
            out.addAll(require(indexOrNull).keys());
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
        List<List<String>> keys = keySchema(description.path("KeySchema"), name, 1);
        List<Index> indexes = new ArrayList<>();
        for (JsonNode n : description.path("LocalSecondaryIndexes")) indexes.add(index(n, Kind.LOCAL, name));
        for (JsonNode n : description.path("GlobalSecondaryIndexes")) indexes.add(index(n, Kind.GLOBAL, name));
        return new TableSchema(name, keys.get(0).get(0), keys.get(1).isEmpty() ? null : keys.get(1).get(0), indexes);
    }

    private Index require(String name) {
        return index(name).orElseThrow(() -> new IllegalArgumentException("table " + table + " has no index " + name));
    }

    private static List<String> keys(String hash, String range) {
        return range == null ? List.of(hash) : List.of(hash, range);
    }

    private static Index index(JsonNode n, Kind kind, String table) {
        String name = text(n, "IndexName");
        List<List<String>> keys = keySchema(n.path("KeySchema"), table + " index " + name,
                kind == Kind.GLOBAL ? MAX_MULTI_ATTRIBUTES : 1);
        JsonNode projection = n.path("Projection");
        ProjectionType type;
        try {
            type = ProjectionType.valueOf(text(projection, "ProjectionType"));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("index " + name + " of " + table + " has an unknown ProjectionType");
        }
        List<String> nonKey = new ArrayList<>();
        if (type == ProjectionType.INCLUDE) for (JsonNode a : projection.path("NonKeyAttributes")) nonKey.add(a.asText());
        return new Index(name, kind, keys.get(0), keys.get(1), type, nonKey);
    }

    /**
     * {partition attributes, sort attributes} of a KeySchema: at least one and at most
     * {@code most} HASH elements, then at most {@code most} RANGE elements, no attribute twice
     * (a table's and a local index's: one and one; a global index's: four and four). Anything
     * else is a schema weir does not know how to enforce, and its reads are refused.
     */
    private static List<List<String>> keySchema(JsonNode schema, String what, int most) {
        List<String> hashes = new ArrayList<>();
        List<String> ranges = new ArrayList<>();
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (JsonNode k : schema) {
            String type = k.path("KeyType").asText();
            String attribute = text(k, "AttributeName");
            if (!seen.add(attribute)) throw new IllegalStateException("the KeySchema of " + what + " names " + attribute + " twice");
            if (type.equals("HASH") && ranges.isEmpty() && hashes.size() < most) hashes.add(attribute);
            else if (type.equals("RANGE") && !hashes.isEmpty() && ranges.size() < most) ranges.add(attribute);
            else throw new IllegalStateException("the KeySchema of " + what + " is not " + (most == 1
                    ? "one HASH and at most one RANGE key" : "one to " + most + " HASH keys and at most " + most + " RANGE keys, in that order"));
        }
        if (hashes.isEmpty()) throw new IllegalStateException("the KeySchema of " + what + " has no HASH key");
        return List.of(hashes, ranges);
    }

    private static String text(JsonNode n, String member) {
        JsonNode v = n.path(member);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalStateException("a table description without " + member);
        }
        return v.asText();
    }
}
