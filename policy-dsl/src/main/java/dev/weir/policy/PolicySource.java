package dev.weir.policy;

/**
 * One policy file's text.
 *
 * @param name the file's path relative to the policy directory, with {@code /} separators;
 *             it names the file in diagnostics and in default rule ids
 */
public record PolicySource(String name, String text) {
}
