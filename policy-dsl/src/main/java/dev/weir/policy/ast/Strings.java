package dev.weir.policy.ast;

/** Writing names and strings back as source text. */
public final class Strings {
    private Strings() {}

    /** {@code "text"} with {@code \} and {@code "} escaped, and newlines and tabs as {@code \n}, {@code \t}. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** A name as an identifier when it is one, else quoted. */
    public static String name(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_-]*") ? name : quote(name);
    }
}
