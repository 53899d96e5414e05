package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * boto3 (made present by scripts/boto3 for /usr/bin/python3), driving weir as a Python client
 * would: a batch of calls runs in one interpreter ({@code src/test/resources/boto3/calls.py}),
 * each answered as the client parsed it (the response, every page of a paged read, or the
 * error's code, message, Item and CancellationReasons).
 */
final class Boto3 {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String python;

    private final String endpoint;
    private final ArrayNode calls = JSON.createArrayNode();

    Boto3(String endpoint) {
        this.endpoint = endpoint;
    }

    /** Adds a call ({@code method} as boto3 names it, {@code params} in its JSON shape); its answer has the same index. */
    Boto3 call(String accessKeyId, String secret, String method, String params) throws Exception {
        ObjectNode c = calls.addObject();
        c.put("key", accessKeyId).put("secret", secret).put("method", method);
        c.set("params", JSON.readTree(params));
        return this;
    }

    /**
     * Adds a Query or Scan ({@code method} "query" or "scan") followed from its first page to its
     * last; its answer is {@code {"ok":true,"pages":[...]}} or the error of the page that failed.
     */
    Boto3 pages(String accessKeyId, String secret, String method, String params) throws Exception {
        call(accessKeyId, secret, method, params);
        ((ObjectNode) calls.get(calls.size() - 1)).put("pages", true);
        return this;
    }

    /** Runs every call added, in order; one answer per call. */
    List<JsonNode> run() throws Exception {
        Path script = Path.of("src", "test", "resources", "boto3", "calls.py").toAbsolutePath();
        Process p = new ProcessBuilder(python(), script.toString(), endpoint).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(calls));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("boto3 did not finish");
        }
        if (p.exitValue() != 0) throw new IllegalStateException("boto3 failed (" + p.exitValue() + "): " + out);
        List<JsonNode> answers = new ArrayList<>();
        for (String line : out.split("\n")) if (!line.isBlank()) answers.add(JSON.readTree(line));
        if (answers.size() != calls.size()) throw new IllegalStateException("boto3 answered " + answers.size() + " of " + calls.size() + ": " + out);
        return answers;
    }

    private static synchronized String python() throws Exception {
        if (python == null) {
            Path installer = Path.of("..", "scripts", "boto3").toAbsolutePath().normalize();
            if (!Files.isRegularFile(installer)) throw new IllegalStateException("no " + installer);
            python = Installers.exclusively(() -> {
                Process p = new ProcessBuilder("bash", installer.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0 || path.isEmpty()) throw new IllegalStateException("scripts/boto3 could not provide boto3");
                return path;
            });
        }
        return python;
    }
}
