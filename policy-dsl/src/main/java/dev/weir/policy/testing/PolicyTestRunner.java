package dev.weir.policy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.decision.Forbidden;
import dev.weir.policy.decision.NotPermitted;
import dev.weir.policy.field.HmacKeys;
import dev.weir.protocol.model.AttributeValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs the policy tests beside a policy set: every {@code *.test.yaml} under the directory.
 * A test file:
 * <pre>
 * keys: {pseudonym: "a test secret"}        # optional: hmac keys for these tests (hash uses the
 *                                           # fixed test key, id "test": test:&lt;hex&gt;)
 * principals:                               # optional: principals cases name
 *   ada: {roles: [analyst], attributes: {region: eu}}
 * cases:
 *   - name: an analyst reads a person of her region, masked
 *     principal: ada                        # or inline {name, roles, attributes}
 *     context: {source: 10.1.2.3, time: "2025-01-06T09:30:00+01:00"}
 *     request: {op: GetItem, table: people}
 *     items: [{id: p-001, region: eu, ssn: "123-45-6789", salary: 98000}]
 *     expect:
 *       decision: ALLOWED                   # or FORBIDDEN, NOT_PERMITTED
 *       rules: [people-analyst-read]        # the deciding rule ids (any order)
 *       items: [{id: p-001, region: eu, ssn: "****6789"}]   # exactly what the caller receives
 *   - name: ingest writes within its regions
 *     principal: {name: etl, roles: [ingest], attributes: {regions: [eu, us]}}
 *     request: {op: PutItem, table: people, item: {id: p-9, region: eu}}
 *     expect: {decision: ALLOWED, write: accepted}    # or refused
 * </pre>
 * What a caller receives of stored {@code items}: those the decision's row filter passes, each
 * through the field plan, in order; nothing when the request is not allowed. A write is
 * accepted when the request is allowed and {@link Allowed#refusesWrite} finds nothing.
 *
 * <p>Rule coverage is the share of the policy set's rules that decided at least one case.
 */
public final class PolicyTestRunner {
    public static final String SUFFIX = ".test.yaml";

    private PolicyTestRunner() {}

    /** One case's outcome. */
    public record CaseResult(String file, String name, List<String> failures, Decision decision) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    /**
     * @param load     the policy set as loaded for the tests (its diagnostics explain a failure)
     * @param errors   problems with the test files themselves
     * @param ruleIds  every rule id of the policy set
     * @param covered  the ids that decided at least one case
     */
    public record Report(LoadResult load, List<CaseResult> cases, List<String> errors, List<String> ruleIds, List<String> covered) {
        public boolean passed() {
            return load.ok() && errors.isEmpty() && cases.stream().allMatch(CaseResult::passed);
        }

        /** Rule coverage in percent (100 for a policy set without rules). */
        public double coverage() {
            return ruleIds.isEmpty() ? 100.0 : 100.0 * covered.size() / ruleIds.size();
        }

        public List<String> uncovered() {
            return ruleIds.stream().filter(id -> !covered.contains(id)).toList();
        }
    }

    /** The test files under a directory, sorted. */
    public static List<Path> testFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    public static Report run(Path dir) {
        List<String> errors = new ArrayList<>();
        Map<Path, JsonNode> docs = new java.util.LinkedHashMap<>();
        Map<String, byte[]> keys = new HashMap<>();
        for (Path f : testFiles(dir)) {
            try {
                JsonNode doc = Yaml.read(Files.readString(f, StandardCharsets.UTF_8));
                if (doc == null || !doc.isObject()) throw new IOException("expected a map with 'cases:'");
                docs.put(f, doc);
                JsonNode k = doc.get("keys");
                if (k != null && k.isObject()) k.fields().forEachRemaining(e -> keys.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                errors.add(name(dir, f) + ": " + firstLine(e.getMessage()));
            } catch (StackOverflowError e) {
                errors.add(name(dir, f) + ": nested too deeply");
            }
        }
        PolicyLoader.PolicySet set = PolicyLoader.loadSet(dir, HmacKeys.of(keys).orElse(HmacKeys.forTesting()));
        List<String> ruleIds = set.files().stream().flatMap(f -> f.rules().stream()).map(r -> r.id().value()).sorted().toList();
        if (!set.result().ok()) return new Report(set.result(), List.of(), errors, ruleIds, List.of());
        DecisionTable table = set.result().table().orElseThrow();
        List<CaseResult> cases = new ArrayList<>();
        TreeSet<String> covered = new TreeSet<>();
        for (Map.Entry<Path, JsonNode> d : docs.entrySet()) {
            String file = name(dir, d.getKey());
            Map<String, JsonNode> principals = new HashMap<>();
            JsonNode ps = d.getValue().get("principals");
            if (ps != null && ps.isObject()) ps.fields().forEachRemaining(e -> principals.put(e.getKey(), e.getValue()));
            JsonNode list = d.getValue().get("cases");
            if (list == null || !list.isArray()) {
                errors.add(file + ": expected a list under 'cases:'");
                continue;
            }
            int index = 0;
            for (JsonNode c : list) {
                index++;
                String caseName = c.hasNonNull("name") ? c.get("name").asText() : "case " + index;
                try {
                    CaseResult r = runCase(file, caseName, c, principals, table);
                    covered.addAll(r.decision().ruleIds());
                    cases.add(r);
                } catch (RuntimeException e) {
                    cases.add(new CaseResult(file, caseName, List.of("bad case: " + firstLine(e.getMessage())), NotPermitted.INSTANCE));
                }
            }
        }
        covered.retainAll(ruleIds);
        return new Report(set.result(), cases, errors, ruleIds, List.copyOf(covered));
    }

    private static CaseResult runCase(String file, String name, JsonNode c, Map<String, JsonNode> principals, DecisionTable table) {
        DecisionRequest request = Scenario.request(c, principals);
        Decision decision = table.decide(request);
        JsonNode expect = c.get("expect");
        if (expect == null || !expect.isObject()) throw new IllegalArgumentException("a case needs 'expect:'");
        List<String> failures = new ArrayList<>();
        String kind = kind(decision);
        if (expect.hasNonNull("decision") && !expect.get("decision").asText().equals(kind)) {
            failures.add("expected " + expect.get("decision").asText() + ", got " + kind + describe(decision));
        }
        if (expect.has("rules")) {
            List<String> want = new ArrayList<>();
            expect.get("rules").forEach(r -> want.add(r.asText()));
            if (!new TreeSet<>(want).equals(new TreeSet<>(decision.ruleIds()))) {
                failures.add("expected rules " + want + ", got " + decision.ruleIds());
            }
        }
        if (expect.hasNonNull("reason")) {
            String reason = decision instanceof Forbidden f ? f.reason() : null;
            if (!expect.get("reason").asText().equals(reason)) {
                failures.add("expected reason \"" + expect.get("reason").asText() + "\", got " + (reason == null ? "none" : "\"" + reason + "\""));
            }
        }
        if (expect.has("items")) {
            List<Map<String, AttributeValue>> stored = new ArrayList<>();
            JsonNode items = c.get("items");
            if (items != null) items.forEach(i -> stored.add(TestItems.item(i)));
            List<Map<String, AttributeValue>> received = new ArrayList<>();
            if (decision instanceof Allowed a) {
                for (Map<String, AttributeValue> item : stored) {
                    if (a.rows().test(request, item)) received.add(a.fields().redact(item));
                }
            }
            List<Map<String, AttributeValue>> want = new ArrayList<>();
            expect.get("items").forEach(i -> want.add(TestItems.item(i)));
            if (!want.equals(received)) {
                failures.add("expected items " + want.stream().map(TestItems::show).toList()
                        + "\n      but the caller receives " + received.stream().map(TestItems::show).toList());
            }
        }
        if (expect.hasNonNull("write")) {
            JsonNode written = c.get("request").get("item");
            if (written == null) throw new IllegalArgumentException("expect.write needs request.item");
            Map<String, AttributeValue> item = TestItems.item(written);
            Optional<String> refusal = decision instanceof Allowed a ? a.refusesWrite(request, item)
                    : Optional.of("the request is " + kind);
            String want = expect.get("write").asText();
            if (want.equals("accepted") && refusal.isPresent()) failures.add("expected the write accepted, but " + refusal.get());
            else if (want.equals("refused") && refusal.isEmpty()) failures.add("expected the write refused, but it is accepted");
            else if (!want.equals("accepted") && !want.equals("refused")) throw new IllegalArgumentException("write: accepted or refused");
        }
        return new CaseResult(file, name, failures, decision);
    }

    public static String kind(Decision d) {
        return switch (d) {
            case Allowed a -> "ALLOWED";
            case Forbidden f -> "FORBIDDEN";
            case NotPermitted n -> "NOT_PERMITTED";
        };
    }

    private static String describe(Decision d) {
        return switch (d) {
            case Allowed a -> " (by " + a.ruleIds() + ")";
            case Forbidden f -> " (by " + f.ruleIds() + ": " + f.reason() + ")";
            case NotPermitted n -> " (no allow matched)";
        };
    }

    private static String name(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }

    private static String firstLine(String message) {
        return message == null ? "error" : message.lines().findFirst().orElse("error");
    }

}
