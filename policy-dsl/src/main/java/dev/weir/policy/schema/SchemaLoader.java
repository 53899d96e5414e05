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
        }
        return new Result(errors.isEmpty() ? Optional.of(new TableSchema(out)) : Optional.empty(), errors);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
