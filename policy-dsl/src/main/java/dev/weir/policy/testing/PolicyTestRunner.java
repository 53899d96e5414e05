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
import dev.weir.policy.trigger.RecordViews;
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
import java.util.Set;
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
 * <p>Cases may also test triggers ({@link TriggerCases}): a {@code change:} to a table for stream
 * triggers, {@code fires:} and {@code input:} on a request case for API-call triggers, and
 * {@code at:} a minute for schedules.
 *
 * <p>Coverage is the share of the policy set's rules that decided at least one case, and of its
 * triggers that fired in at least one case that expects triggers. A mistake in a test file is
 * reported with its {@code file:line:column}.
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
     * @param load            the policy set as loaded for the tests (its diagnostics explain a failure)
     * @param errors          problems with the test files themselves
     * @param ruleIds         every rule id of the policy set
     * @param covered         the rule ids that decided at least one case
     * @param triggerIds      every trigger id of the policy set (stream, API-call and schedule)
     * @param coveredTriggers the trigger ids that fired in at least one case that expects triggers
     */
    public record Report(LoadResult load, List<CaseResult> cases, List<String> errors, List<String> ruleIds, List<String> covered,
                         List<String> triggerIds, List<String> coveredTriggers) {
        public Report(LoadResult load, List<CaseResult> cases, List<String> errors, List<String> ruleIds, List<String> covered) {
            this(load, cases, errors, ruleIds, covered, List.of(), List.of());
        }

        public boolean passed() {
            return load.ok() && errors.isEmpty() && cases.stream().allMatch(CaseResult::passed);
        }

        /** Coverage in percent of rules and triggers together (100 for a policy set without either). */
        public double coverage() {
            int all = ruleIds.size() + triggerIds.size();
            return all == 0 ? 100.0 : 100.0 * (covered.size() + coveredTriggers.size()) / all;
        }

        /** The rules no case reaches. */
        public List<String> uncovered() {
            return ruleIds.stream().filter(id -> !covered.contains(id)).toList();
        }

        /** The triggers no case fires. */
        public List<String> uncoveredTriggers() {
            return triggerIds.stream().filter(id -> !coveredTriggers.contains(id)).toList();
        }
    }

    /** The test files under a directory, sorted. */
    public static List<Path> testFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> dev.weir.policy.PolicyLoader.isPolicyFile(dir, p, SUFFIX)).sorted().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Runs the tests without the firewall's record cut: a {@code change:} case fails, saying it needs {@code ./weir policy test}. */
    public static Report run(Path dir) {
        return run(dir, null);
    }

    /**
     * @param views the firewall's cut of stream records (the appliance's), with which change cases
     *              are judged as the trigger worker judges them; null where it is not available
     */
    public static Report run(Path dir, RecordViews views) {
        List<String> errors = new ArrayList<>();
        Map<Path, JsonNode> docs = new java.util.LinkedHashMap<>();
        Map<Path, Yaml.Doc> parsed = new HashMap<>();
        Map<String, byte[]> keys = new HashMap<>();
        for (Path f : testFiles(dir)) {
            try {
                Yaml.Doc read = Yaml.parse(Files.readString(f, StandardCharsets.UTF_8));
                JsonNode doc = read.root();
                if (doc == null || !doc.isObject()) throw new IOException("expected a map with 'cases:'");
                docs.put(f, doc);
                parsed.put(f, read);
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
        List<String> triggerIds = set.files().stream().flatMap(f -> f.triggers().stream()).filter(t -> t.id() != null)
                .map(t -> t.id().value()).sorted().toList();
        if (!set.result().ok()) return new Report(set.result(), List.of(), errors, ruleIds, List.of(), triggerIds, List.of());
        DecisionTable table = set.result().table().orElseThrow();
        List<CaseResult> cases = new ArrayList<>();
        TreeSet<String> covered = new TreeSet<>();
        TreeSet<String> coveredTriggers = new TreeSet<>();
        for (Map.Entry<Path, JsonNode> d : docs.entrySet()) {
            String file = name(dir, d.getKey());
            Located located = new Located(file, parsed.get(d.getKey()));
            Map<String, List<String>> tableKeys;
            try {
                tableKeys = TriggerCases.tableKeys(d.getValue().get("tables"), located);
            } catch (IllegalArgumentException e) {
                errors.add(firstLine(e.getMessage()));
                continue;
            }
            TriggerCases triggers = new TriggerCases(table, views, located, tableKeys);
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
                    if (!c.isObject()) throw located.error(c, "a case is a map");
                    CaseResult r;
                    JsonNode expect = c.get("expect");
                    if (expect == null || !expect.isObject()) throw located.error(c, "a case needs 'expect:'");
                    if (c.has("change") || c.has("at")) {
                        if (c.has("change") && c.has("at") || c.has("request")) {
                            throw located.error(c, "a case has one of 'request:', 'change:' (stream triggers) and 'at:' (schedules)");
                        }
                        TriggerCases.Outcome o = c.has("change") ? triggers.change(c, expect, index) : triggers.schedule(c, expect);
                        coveredTriggers.addAll(o.fired());
                        r = new CaseResult(file, caseName, o.failures(), NotPermitted.INSTANCE);
                    } else {
                        r = runCase(file, caseName, c, principals, table, triggers, coveredTriggers);
                    }
                    covered.addAll(r.decision().ruleIds());
                    cases.add(r);
                } catch (Located.Error e) {
                    cases.add(new CaseResult(file, caseName, List.of("bad case: " + e.getMessage()), NotPermitted.INSTANCE));
                } catch (RuntimeException e) {
                    cases.add(new CaseResult(file, caseName, List.of("bad case: " + located.where(c) + ": " + firstLine(e.getMessage())),
                            NotPermitted.INSTANCE));
                }
            }
        }
        covered.retainAll(ruleIds);
        coveredTriggers.retainAll(triggerIds);
        return new Report(set.result(), cases, errors, ruleIds, List.copyOf(covered), triggerIds, List.copyOf(coveredTriggers));
    }

    private static CaseResult runCase(String file, String name, JsonNode c, Map<String, JsonNode> principals, DecisionTable table,
                                      TriggerCases triggers, Set<String> coveredTriggers) {
        DecisionRequest request = Scenario.request(c, principals);
        Decision decision = table.decide(request);
        JsonNode expect = c.get("expect");
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
        if (TriggerCases.expectsTriggers(expect)) {
            TriggerCases.Outcome o = triggers.request(c, expect, request, decision);
            failures.addAll(o.failures());
            coveredTriggers.addAll(o.fired());
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
