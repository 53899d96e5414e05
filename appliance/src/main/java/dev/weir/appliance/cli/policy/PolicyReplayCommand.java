package dev.weir.appliance.cli.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.check.SourceLines;
import dev.weir.policy.field.HmacKeys;
import dev.weir.policy.replay.AuditReplay;
import dev.weir.policy.testing.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code weir policy replay --audit FILE DIR}: which recorded decisions would the policies in DIR change? */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay the requests of an audit log (JSON lines) against the policies in DIR and list the decisions that would change.")
public final class PolicyReplayCommand implements Callable<Integer> {
    @Option(names = "--audit", required = true, paramLabel = "FILE", description = "The audit log (JSON lines, as weir writes it).")
    Path audit;

    @Option(names = "--principals", paramLabel = "FILE",
            description = "principals.yaml, for the principals' attributes (the audit log does not record them).")
    Path principals;

    @Option(names = "--fail-on-change", description = "Exit 1 when any decision would change (for CI).")
    boolean failOnChange;

    @Parameters(paramLabel = "DIR", description = "The new policy directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        LoadResult r = PolicyLoader.load(dir, HmacKeys.forTesting());
        if (!r.ok()) {
            new SourceLines(dir).render(r.diagnostics()).forEach(System.out::println);
            return 1;
        }
        AuditReplay.Report report;
        try (BufferedReader in = Files.newBufferedReader(audit, StandardCharsets.UTF_8)) {
            report = AuditReplay.replay(in, r.table().orElseThrow(), attributes());
        }
        report.errors().forEach(e -> System.out.println("warning: " + e));
        report.changes().forEach(c -> System.out.println(c.render()));
        System.out.println(report.replayed() + " decisions replayed, " + report.changes().size() + " would change, "
                + report.skipped() + " events skipped (no decision)");
        return failOnChange && !report.changes().isEmpty() ? 1 : 0;
    }

    private Map<String, Map<String, List<String>>> attributes() throws Exception {
        Map<String, Map<String, List<String>>> out = new HashMap<>();
        if (principals == null) return out;
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(principals.toFile());
        JsonNode list = root == null ? null : root.get("principals");
        if (list != null) {
            for (JsonNode p : list) {
                if (p.hasNonNull("name")) out.put(p.get("name").asText(), Scenario.attributes(p.get("attributes")));
            }
        }
        return out;
    }
}
