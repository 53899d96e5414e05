package dev.weir.appliance.cli.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.check.SourceLines;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.explain.Explainer;
import dev.weir.policy.field.HmacKeys;
import dev.weir.policy.testing.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code weir policy explain DIR --roles analyst --attr region=eu --op GetItem --table people
 * --source 10.1.2.3 --time 2025-01-06T10:00:00+01:00 --tls-subject "CN=x,OU=batch"}.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "For a principal, context and request: the decision, and every rule that matched or did not, and why.")
public final class PolicyExplainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "DIR", description = "The policy directory.")
    Path dir;

    @Option(names = "--principal", paramLabel = "NAME", description = "The principal's name (principal.name).")
    String principal;

    @Option(names = "--roles", paramLabel = "ROLE", split = ",", description = "The principal's roles, comma-separated.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--attr", paramLabel = "KEY=VALUE", description = "A principal attribute; repeat a key for a list.")
    List<String> attributes = new ArrayList<>();

    @Option(names = "--op", required = true, paramLabel = "OPERATION", description = "GetItem, Query, PutItem, ...")
    String op;

    @Option(names = "--table", paramLabel = "TABLE", defaultValue = "*", description = "The table (default: none, as ListTables).")
    String table;

    @Option(names = "--source", paramLabel = "IP", description = "ctx.source")
    String source;

    @Option(names = "--time", paramLabel = "ISO-TIME", description = "ctx.time, e.g. 2025-01-06T10:00:00+01:00")
    String time;

    @Option(names = "--tls-subject", paramLabel = "DN", description = "ctx.tls.subject, e.g. CN=etl,OU=batch")
    String tlsSubject;

    @Option(names = "--san", paramLabel = "NAME", description = "ctx.tls.san entries")
    List<String> san = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "ctx.table.tags entries")
    List<String> tags = new ArrayList<>();

    @Override
    public Integer call() {
        PolicyLoader.PolicySet set = PolicyLoader.loadSet(dir, HmacKeys.forTesting());
        if (!set.result().ok()) {
            new SourceLines(dir).render(set.result().diagnostics()).forEach(System.out::println);
            return 1;
        }
        DecisionRequest request;
        try {
            request = Scenario.request(scenario(), Map.of());
        } catch (IllegalArgumentException e) {
            System.err.println("weir policy explain: " + e.getMessage());
            return 2;
        }
        System.out.print(Explainer.explain(set.files(), set.result().table().orElseThrow(), request).render());
        return 0;
    }

    private ObjectNode scenario() {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode p = node.putObject("principal");
        if (principal != null) p.put("name", principal);
        ArrayNode r = p.putArray("roles");
        roles.forEach(r::add);
        ObjectNode attrs = p.putObject("attributes");
        for (String kv : attributes) {
            String[] parts = split(kv, "--attr");
            if (!attrs.has(parts[0])) attrs.putArray(parts[0]);
            ((ArrayNode) attrs.get(parts[0])).add(parts[1]);
        }
        node.putObject("request").put("op", op).put("table", table);
        ObjectNode ctx = node.putObject("context");
        if (source != null) ctx.put("source", source);
        if (time != null) ctx.put("time", time);
        if (tlsSubject != null || !san.isEmpty()) {
            ObjectNode tls = ctx.putObject("tls");
            tls.put("subject", tlsSubject == null ? "" : tlsSubject);
            ArrayNode s = tls.putArray("san");
            san.forEach(s::add);
        }
        ObjectNode t = ctx.putObject("table_tags");
        for (String kv : tags) {
            String[] parts = split(kv, "--tag");
            t.put(parts[0], parts[1]);
        }
        return node;
    }

    private static String[] split(String kv, String option) {
        int eq = kv.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException(option + " wants KEY=VALUE, got " + kv);
        return new String[] {kv.substring(0, eq), kv.substring(eq + 1)};
    }
}
