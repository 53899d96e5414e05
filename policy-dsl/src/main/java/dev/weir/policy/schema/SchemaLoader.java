package dev.weir.policy.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.check.Severity;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code schema.yaml}; problems come back as diagnostics on the file. */
public final class SchemaLoader {
    public static final String FILE_NAME = "schema.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SchemaLoader() {}

    public record Result(Optional<TableSchema> schema, List<Diagnostic> diagnostics) {}

    public static Result parse(String file, String text) {
        List<Diagnostic> errors = new ArrayList<>();
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (Exception e) {
            errors.add(new Diagnostic(file, 0, 0, Severity.ERROR, "not valid YAML: " + firstLine(e.getMessage())));
            return new Result(Optional.empty(), errors);
        }
        JsonNode tables = root == null ? null : root.get("tables");
        if (tables == null || !tables.isObject()) {
            errors.add(new Diagnostic(file, 0, 0, Severity.ERROR, "expected a 'tables:' map"));
            return new Result(Optional.empty(), errors);
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tables.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> t = it.next();
            Map<String, String> attributes = new LinkedHashMap<>();
            JsonNode attrs = t.getValue() == null ? null : t.getValue().get("attributes");
            if (attrs != null && attrs.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> a = attrs.fields(); a.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = a.next();
                    String type = e.getValue().asText();
                    if (!TableSchema.TYPES.contains(type)) {
                        errors.add(new Diagnostic(file, 0, 0, Severity.ERROR, "table " + t.getKey() + ", attribute "
                                + e.getKey() + ": unknown type '" + type + "' (one of " + TableSchema.TYPES + ")"));
                    }
                    attributes.put(e.getKey(), type);
                }
            }
            out.put(t.getKey(), attributes);
            JsonNode key = t.getValue() == null ? null : t.getValue().get("key");
            if (key != null) key(file, t.getKey(), key, attributes, errors).ifPresent(k -> keys.put(t.getKey(), k));
        }
        return new Result(errors.isEmpty() ? Optional.of(new TableSchema(out, keys)) : Optional.empty(), errors);
    }

    /**
     * A table's {@code key: [hash]} or {@code key: [hash, range]}: one or two distinct top-level
     * attribute names, each described among the table's attributes as S, N or B (DynamoDB's key types).
     */
    private static Optional<List<String>> key(String file, String table, JsonNode key, Map<String, String> attributes,
                                              List<Diagnostic> errors) {
        String where = "table " + table + ", key: ";
        if (!key.isArray() || key.isEmpty() || key.size() > 2) {
            errors.add(new Diagnostic(file, 0, 0, Severity.ERROR, where
                    + "expected a list of one or two attribute names (the partition key, then the sort key): key: [id] or key: [id, ts]"));
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (JsonNode n : key) {
            String name = n.isTextual() ? n.textValue() : null;
            if (name == null || name.isEmpty()) {
                errors.add(new Diagnostic(file, 0, 0, Severity.ERROR, where + "a key attribute is a name, not " + n));
                return Optional.empty();
            }
            if (names.contains(name)) {
                errors.add(new Diagnostic(file, 0, 0, Severity.ERROR, where + "'" + name + "' is named twice"));
                return Optional.empty();
            }
            String type = attributes.get(name);
            if (type == null) {
                errors.add(new Diagnostic(file, 0, 0, Severity.ERROR, where + "'" + name
                        + "' is not among the table's attributes (describe it with its type: S, N or B)"));
                return Optional.empty();
            }
            if (!TableSchema.KEY_TYPES.contains(type)) {
                errors.add(new Diagnostic(file, 0, 0, Severity.ERROR, where + "'" + name + "' is " + type
                        + ", but a key attribute is S, N or B"));
                return Optional.empty();
            }
            names.add(name);
        }
        return Optional.of(names);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
