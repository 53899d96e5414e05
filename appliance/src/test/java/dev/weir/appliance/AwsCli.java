package dev.weir.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real aws CLI (made present by scripts/aws-cli), run as a given key pair against an endpoint. */
final class AwsCli {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String executable;

    record Result(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out.isBlank() ? "{}" : out);
        }
    }

    private final String endpoint;
    private final String accessKeyId;
    private final String secret;
    private final List<String> extra;
    private final List<String> prefix;

    AwsCli(String endpoint, String accessKeyId, String secret, String... extra) {
        this(List.of(), endpoint, accessKeyId, secret, extra);
    }

    private AwsCli(List<String> prefix, String endpoint, String accessKeyId, String secret, String... extra) {
        this.prefix = List.copyOf(prefix);
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.secret = secret;
        this.extra = List.of(extra);
    }

    /** The same CLI run through {@code prefix} (e.g. {@code ip netns exec NS}: from a client network namespace). */
    AwsCli through(List<String> prefix) {
        return new AwsCli(prefix, endpoint, accessKeyId, secret, extra.toArray(String[]::new));
    }

    /** The same CLI, run under {@code command} (say {@code ip netns exec NAME}). */
    AwsCli under(String... command) {
        return through(List.of(command));
    }

    Result dynamodb(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(aws(), "dynamodb"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json"));
        cmd.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("AWS_ACCESS_KEY_ID", accessKeyId);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", secret);
        pb.environment().put("AWS_CONFIG_FILE", "/nonexistent");
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
        pb.environment().put("AWS_MAX_ATTEMPTS", "1");
        pb.environment().remove("AWS_PROFILE");
        Process p = pb.start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("aws did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static synchronized String aws() throws Exception {
        if (executable == null) {
            executable = Installers.exclusively(() -> {
                Process p = new ProcessBuilder("bash", Path.of("..", "scripts", "aws-cli").toAbsolutePath().normalize().toString())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0 || path.isEmpty()) throw new IllegalStateException("scripts/aws-cli could not provide the aws CLI");
                return path;
            });
        }
        return executable;
    }
}
