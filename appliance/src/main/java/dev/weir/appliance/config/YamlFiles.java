package dev.weir.appliance.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a YAML file into a type, turning every problem into a file:line:column error. */
final class YamlFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private YamlFiles() {}

    private static final Pattern SECRET_VALUE =
            Pattern.compile("((?i:[a-z_]*secret[a-z_]*)[\"']?\\s*:\\s*)([^,}\\s][^,}]*)");

    /** A source line as it may be shown in an error: the values of secret keys are blanked. */
    static String withoutSecrets(String line) {
        return SECRET_VALUE.matcher(line).replaceAll("$1********");
    }

    /**
     * Where the caret goes under the shown line for column {@code col} (0-based) of the file's
     * line: a secret blanked before it changes the length of what precedes.
     */
    private static int caret(String line, int col) {
        return col > line.length() ? col : withoutSecrets(line.substring(0, col)).length();
    }

    /** Line and column (1-based) of the last key on a path, searching each key after the previous one. */
    private static int[] locate(List<String> lines, List<JsonMappingException.Reference> path) {
        int line = 0, col = 0;
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() == null) continue;
            Pattern key = Pattern.compile("(^|[\\s{,])(" + Pattern.quote(ref.getFieldName()) + ")\\s*:");
            boolean found = false;
            for (int i = line; i < lines.size() && !found; i++) {
                Matcher m = key.matcher(lines.get(i));
                if (m.find(i == line ? col : 0)) {
                    line = i;
                    col = m.start(2);
                    found = true;
                }
            }
            if (!found) return null;
        }
        return new int[] {line + 1, col + 1};
    }

    /**
     * An error about a value that parsed but is not acceptable, placed at the last of
     * {@code keys} (each searched after the previous one; a key written {@code name=VALUE}
     * finds the line where {@code name: VALUE} stands), shown with its line.
     */
    static ConfigException at(Path file, String message, String... keys) {
        List<String> lines;
        try {
            lines = Files.readString(file, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return new ConfigException(file + ": error: " + message);
        }
        int line = -1, col = 0, from = 0;
        for (String k : keys) {
            int eq = k.indexOf('=');
            Pattern key = eq < 0 ? Pattern.compile("(^|[\\s{,-])(" + Pattern.quote(k) + ")\\s*:")
                    : Pattern.compile("(^|[\\s{,-])(" + Pattern.quote(k.substring(0, eq)) + ")\\s*:\\s*['\"]?"
                            + Pattern.quote(k.substring(eq + 1)) + "['\"]?\\s*([,}#]|$)");
            boolean found = false;
            for (int i = from; i < lines.size() && !found; i++) {
                Matcher m = key.matcher(lines.get(i));
                if (m.find(i == line ? col : 0)) {
                    line = i;
                    col = m.start(2);
                    from = i;
                    found = true;
                }
            }
            if (!found) break;
        }
        if (line < 0) return new ConfigException(file + ": error: " + message);
        return new ConfigException(file + ":" + (line + 1) + ":" + (col + 1) + ": error: " + message + "\n"
                + withoutSecrets(lines.get(line)) + "\n" + " ".repeat(caret(lines.get(line), col)) + "^");
    }

    static <T> T read(Path file, Class<T> type) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        try {
            T value = YAML.readValue(text, type);
            if (value == null) throw new ConfigException(file + ":1:1: the file is empty");
            return value;
        } catch (JsonProcessingException e) {
            throw new ConfigException(located(file, text, e));
        }
    }

    private static String located(Path file, String text, JsonProcessingException e) {
        List<String> lines = text.lines().toList();
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 0 : loc.getLineNr();
        int col = loc == null ? 0 : loc.getColumnNr();
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            // Records are read through a buffer, so the parser's position is the end of the
            // object: find the key by its path in the text instead.
            int[] at = locate(lines, m.getPath());
            if (at != null) {
                line = at[0];
                col = at[1];
            }
        }
        String what;
        if (e instanceof UnrecognizedPropertyException u) {
            // Point at the unknown key itself, which stands on the same line as its value.
            if (line >= 1 && line <= lines.size()) {
                int at = lines.get(line - 1).indexOf(u.getPropertyName());
                if (at >= 0) col = at + 1;
            }
            what = "unknown key '" + u.getPropertyName() + "'"
                    + (u.getKnownPropertyIds() == null ? "" : " (known keys: " + u.getKnownPropertyIds() + ")");
        } else if (e instanceof JsonMappingException m) {
            what = m.getOriginalMessage().split("\n")[0];
        } else {
            what = e.getOriginalMessage().split("\n")[0];
        }
        StringBuilder sb = new StringBuilder().append(file).append(':').append(line).append(':').append(col)
                .append(": error: ").append(what);
        if (line >= 1 && line <= lines.size()) {
            sb.append('\n').append(withoutSecrets(lines.get(line - 1))).append('\n')
                    .append(" ".repeat(caret(lines.get(line - 1), Math.max(0, col - 1)))).append('^');
        }
        return sb.toString();
    }
}
