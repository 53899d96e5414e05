package dev.weir.appliance.leakhunt;

import java.util.List;
import java.util.Map;

/**
 * One rule of a generated policy.
 *
 * @param role    the role it is for, or null for every principal ({@code *})
 * @param table   a table name or {@code *}
 * @param ops     operation names, or the group {@code read} (the five reads and the four Streams operations)
 * @param fields  the allow-list, or null when the rule has none (every field)
 * @param actions per path ({@code ssn}, {@code address.street}, {@code tags[*]}) its field clause
 * @param rows    {@code rows where}, or null
 * @param require {@code require}, or null
 */
record Rule(String id, boolean allow, String role, String table, List<String> ops, List<String> fields,
            Map<String, Action> actions, Cond rows, Cond require) {

    boolean matches(Principal p, String tableName, String op) {
        return (role == null || p.roles().contains(role)) && (table.equals("*") || table.equals(tableName))
                && (ops.contains(op) || ops.contains("read") && PolicyModel.READ_GROUP.contains(op));
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("@id(\"").append(id).append("\")\n");
        sb.append(allow ? "allow " : "deny ").append(role == null ? "*" : role).append(" on table ").append(table)
                .append(" op [").append(String.join(", ", ops)).append("]\n");
        if (rows != null) sb.append("  rows where ").append(rows.render()).append('\n');
        if (require != null) sb.append("  require ").append(require.render()).append('\n');
        if (fields != null) sb.append("  fields [").append(String.join(", ", fields)).append("]\n");
        actions.forEach((path, a) -> sb.append("  ").append(a.render(path)).append('\n'));
        return sb.toString();
    }
}
