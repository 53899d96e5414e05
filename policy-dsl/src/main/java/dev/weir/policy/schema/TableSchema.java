package dev.weir.policy.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The optional description of the tables a policy set may name ({@code schema.yaml} beside
 * the policies). With it the checker reports unknown tables, attributes that are not
 * described, type errors in predicates and masks that change a field's type.
 *
 * <pre>
 * tables:
 *   people:
 *     attributes:            # DynamoDB type tags: S N B BOOL NULL M L SS NS BS
 *       id: S
 *       salary: N
 *       address: M
 *       address.city: S      # nested paths are dotted
 *       tags: SS
 * </pre>
 *
 * @param tables table name → attribute path → type tag
 */
public record TableSchema(Map<String, Map<String, String>> tables) {
    public static final List<String> TYPES = List.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS");

    public TableSchema {
        tables = Map.copyOf(tables);
        tables.values().forEach(Map::copyOf);
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
