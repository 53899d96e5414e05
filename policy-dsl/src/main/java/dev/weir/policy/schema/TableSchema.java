package dev.weir.policy.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The optional description of the tables a policy set may name ({@code schema.yaml} beside
 * the policies). With it the checker reports unknown tables, attributes that are not
 * described, type errors in predicates and masks that change a field's type, and (with a
 * table's {@code key}) an API-call trigger whose role does not read a key attribute in the
 * clear: the policy language alone does not know which attributes are a table's key.
 *
 * <pre>
 * tables:
 *   people:
 *     key: [id]              # optional: the partition key, then the sort key if any
 *     attributes:            # DynamoDB type tags: S N B BOOL NULL M L SS NS BS
 *       id: S
 *       salary: N
 *       address: M
 *       address.city: S      # nested paths are dotted
 *       tags: SS
 * </pre>
 *
 * @param tables table name → attribute path → type tag
 * @param keys   table name → its key attributes (partition key, then sort key), for the tables that name one
 */
public record TableSchema(Map<String, Map<String, String>> tables, Map<String, List<String>> keys) {
    public static final List<String> TYPES = List.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS");
    /** The types a key attribute may have (DynamoDB's scalar key types). */
    public static final List<String> KEY_TYPES = List.of("S", "N", "B");

    public TableSchema {
        tables = tables.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Collections.unmodifiableMap(new LinkedHashMap<>(e.getValue()))));
        keys = keys.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    /** A schema without keys. */
    public TableSchema(Map<String, Map<String, String>> tables) {
        this(tables, Map.of());
    }

    /** The table's key attributes (partition key, then sort key), when the schema names them. */
    public Optional<List<String>> key(String table) {
        return Optional.ofNullable(keys.get(table));
    }

    /** The type tag of a dotted attribute path in a table, if described. */
    public Optional<String> type(String table, String path) {
        Map<String, String> attributes = tables.get(table);
        return attributes == null ? Optional.empty() : Optional.ofNullable(attributes.get(path));
    }

    /** Whether the table describes the attribute path or a map above it with nothing described below. */
    public boolean describes(String table, String path) {
        Map<String, String> attributes = tables.get(table);
        if (attributes == null) return true;
        if (attributes.containsKey(path)) return true;
        String[] parts = path.split("\\.");
        String prefix = "";
        for (int i = 0; i < parts.length - 1; i++) {
            prefix = prefix.isEmpty() ? parts[i] : prefix + "." + parts[i];
            String type = attributes.get(prefix);
            if ("M".equals(type) || "L".equals(type)) {
                String below = prefix + ".";
                if (attributes.keySet().stream().noneMatch(k -> k.startsWith(below))) return true;
            }
        }
        return false;
    }
}
