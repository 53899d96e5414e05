package dev.weir.policy.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Renders diagnostics with their source line and caret, reading the files under a directory. */
public final class SourceLines {
    private final Path dir;
    private final Map<String, List<String>> cache = new HashMap<>();

    public SourceLines(Path dir) {
        this.dir = dir;
    }

    /** {@code file:line:col: error: message}, the line and a caret. */
    public String render(Diagnostic d) {
        return d.render(line(d.file(), d.line()));
    }

    public List<String> render(List<Diagnostic> diagnostics) {
        List<String> out = new ArrayList<>();
        for (Diagnostic d : diagnostics) out.add(render(d));
        return out;
    }

    private String line(String file, int line) {
        if (line <= 0) return null;
        List<String> lines = cache.computeIfAbsent(file, f -> {
            try {
                return Files.readString(dir.resolve(f), StandardCharsets.UTF_8).lines().toList();
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        });
        return line <= lines.size() ? lines.get(line - 1) : null;
    }
}
