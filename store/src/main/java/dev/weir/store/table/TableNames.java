package dev.weir.store.table;

import dev.weir.store.api.ValidationErrors;

/** DynamoDB's rules for table (and index) names. */
public final class TableNames {
    public static final String PATTERN = "[a-zA-Z0-9_.-]+";

    private TableNames() {}

    /** Adds the violations of a table name at {@code path} (such as {@code tableName}). */
    public static void check(ValidationErrors errors, String name, String path) {
        errors.notNull(name, path);
        errors.length(name, path, 3, 255);
        errors.pattern(name, path, PATTERN);
    }

    /** Adds the violations of an index name that is present. */
    public static void checkIndexName(ValidationErrors errors, String name, String path) {
        errors.length(name, path, 3, 255);
        errors.pattern(name, path, PATTERN);
    }
}
