package dev.weir.policy.ast;

/**
 * Where a node starts in a policy file.
 *
 * @param file   the file's path relative to the policy directory, with {@code /} separators
 * @param line   1-based line
 * @param column 1-based column
 */
public record SourcePos(String file, int line, int column) {
    @Override public String toString() {
        return file + ":" + line + ":" + column;
    }
}
