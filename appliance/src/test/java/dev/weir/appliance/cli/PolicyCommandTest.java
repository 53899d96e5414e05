package dev.weir.appliance.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weir policy check|test|fmt|explain|replay}, run in-process against files on disk. */
class PolicyCommandTest {
    static final Path CONF = Path.of("..", "conf", "policies").toAbsolutePath().normalize();

    record Run(int exit, String out) {}

    private static synchronized Run weir(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new WeirCommand()).execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void theSamplePoliciesCheckAndPassTheirTestsWithFullCoverage() {
        Run check = weir("policy", "check", CONF.toString());
        assertEquals(0, check.exit(), check.out());
        assertTrue(check.out().startsWith("ok: 7 rules, 0 warnings"), check.out());
        Run test = weir("policy", "test", CONF.toString(), "--min-coverage", "100");
        assertEquals(0, test.exit(), test.out());
        assertTrue(test.out().contains("17 passed, 0 failed; rule coverage 100.0% (7 of 7 rules)"), test.out());
        Run fmt = weir("policy", "fmt", "--check", CONF.toString());
        assertEquals(0, fmt.exit(), fmt.out());
    }

    @Test
    void fmtTakesARelativeFolderAsTheReadmeWritesIt() {
        // the tests run in appliance/: ../conf/policies is the README's conf/policies, given relative (it threw before)
        Run fmt = weir("policy", "fmt", "--check", "../conf/policies");
        assertEquals(0, fmt.exit(), fmt.out());
        Run oneFile = weir("policy", "fmt", "--check", "../conf/policies/" + firstPolicyFile());
        assertEquals(0, oneFile.exit(), oneFile.out());
    }

    private static String firstPolicyFile() {
        try (var files = Files.list(CONF)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".weir")).sorted().findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void checkPrintsCompilerStyleErrorsWithACaret(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("people.weir"), "role analyst\n\n\n\n\n\n\n\n\n\n\nallow analsyt on table people op read\n");
        Run r = weir("policy", "check", dir.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().startsWith("""
                people.weir:12:7: error: unknown role 'analsyt' (did you mean 'analyst'?)
                allow analsyt on table people op read
                      ^
                """), r.out());
    }

    @Test
    void testFailsBelowMinCoverageAndOnAWrongExpectation(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.weir"), """
                role a
                @id("read") allow a on table t op GetItem fields [id]
                @id("never") allow a on table t op PutItem
                """);
        Files.writeString(dir.resolve("p.test.yaml"), """
                cases:
                  - name: reads only ids
                    principal: {roles: [a]}
                    request: {op: GetItem, table: t}
                    items: [{id: x, secret: s}]
                    expect: {decision: ALLOWED, rules: [read], items: [{id: x}]}
                """);
        Run ok = weir("policy", "test", dir.toString());
        assertEquals(0, ok.exit(), ok.out());
        Run low = weir("policy", "test", dir.toString(), "--min-coverage", "100");
        assertEquals(1, low.exit(), low.out());
        assertTrue(low.out().contains("rule coverage 50.0% (1 of 2 rules)"), low.out());
        assertTrue(low.out().contains("rules no case reaches: [never]"), low.out());
        Files.writeString(dir.resolve("p.test.yaml"), """
                cases:
                  - name: wrongly expects the secret
                    principal: {roles: [a]}
                    request: {op: GetItem, table: t}
                    items: [{id: x, secret: s}]
                    expect: {items: [{id: x, secret: s}]}
                """);
        Run bad = weir("policy", "test", dir.toString());
        assertEquals(1, bad.exit(), bad.out());
        assertTrue(bad.out().contains("FAIL p.test.yaml: wrongly expects the secret"), bad.out());
        assertTrue(bad.out().contains("but the caller receives [{id: \"x\"}]"), bad.out());
    }

    /** The surveillance example's policy, rendered from its template as run.sh renders it, with its tests beside it. */
    static Path surveillance(Path dir) throws Exception {
        Path example = Path.of("..", "examples", "surveillance", "policies").toAbsolutePath().normalize();
        String policy = Files.readString(example.resolve("surveillance.weir.in"));
        for (String port : new String[] {"GEO_PORT", "FACES_PORT", "NOTIFY_PORT"}) policy = policy.replace("@" + port + "@", "9000");
        Files.writeString(dir.resolve("surveillance.weir"), policy);
        Files.copy(example.resolve("surveillance.test.yaml"), dir.resolve("surveillance.test.yaml"));
        return dir;
    }

    @Test
    void theSurveillanceExampleTestsEveryRuleAndTrigger(@TempDir Path dir) throws Exception {
        Run test = weir("policy", "test", surveillance(dir).toString(), "--min-coverage", "100");
        assertEquals(0, test.exit(), test.out());
        assertTrue(test.out().contains("16 passed, 0 failed; coverage 100.0% (8 of 8 rules, 3 of 3 triggers)"), test.out());
        assertTrue(test.out().contains("PASS surveillance.test.yaml: a missing person's tag notifies once"), test.out());
    }

    @Test
    void triggerCasesFailWithADiffAndCountInTheCoverage(@TempDir Path dir) throws Exception {
        surveillance(dir);
        Path tests = dir.resolve("surveillance.test.yaml");
        String good = Files.readString(tests);
        // the notifier's input wrongly expected with the image's URI, which its role does not read
        Files.writeString(tests, good.replace(
                "new: {id: img-1, camera: gate-3, taken_at: \"2026-01-01T03:00:00Z\", missing_person: true}",
                "new: {id: img-1, camera: gate-3, taken_at: \"2026-01-01T03:00:00Z\", missing_person: true, image_uri: \"s3://images/img-1.jpg\"}"));
        Run bad = weir("policy", "test", dir.toString());
        assertEquals(1, bad.exit(), bad.out());
        assertTrue(bad.out().contains("FAIL surveillance.test.yaml: a missing person's tag notifies once"), bad.out());
        assertTrue(bad.out().contains("""
                     missing-person input.new: expected {id: "img-1", camera: "gate-3", taken_at: "2026-01-01T03:00:00Z", \
                missing_person: true, image_uri: "s3://images/img-1.jpg"}
                      but the function gets {id: "img-1", camera: "gate-3", taken_at: "2026-01-01T03:00:00Z", missing_person: true}"""),
                bad.out());

        // without the trigger cases, the triggers are uncovered and named
        int triggers = good.indexOf("  # ---- the triggers");
        Files.writeString(tests, good.substring(0, triggers));
        Run low = weir("policy", "test", dir.toString(), "--min-coverage", "100");
        assertEquals(1, low.exit(), low.out());
        assertTrue(low.out().contains("10 passed, 0 failed; coverage 72.7% (8 of 8 rules, 0 of 3 triggers)"), low.out());
        assertTrue(low.out().contains("triggers no case fires: [faces, geo, missing-person]"), low.out());
        assertTrue(low.out().contains("FAIL: coverage 72.7% is below --min-coverage 100%"), low.out());

        // a mistake in a trigger case names its file:line:column
        Files.writeString(tests, good.substring(0, triggers) + """
                  - name: a misspelt trigger
                    trigger: missing-persn
                    change: {event: UPSERT, new: *ingested}
                    expect: {fires: []}
                """);
        Run error = weir("policy", "test", dir.toString());
        assertEquals(1, error.exit(), error.out());
        long line = good.substring(0, triggers).lines().count() + 2;
        assertTrue(error.out().contains("bad case: surveillance.test.yaml:" + line
                + ":14: unknown trigger 'missing-persn' (did you mean 'missing-person'?)"), error.out());
    }

    @Test
    void fmtRewritesAndCheckReports(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.weir");
        Files.writeString(f, "role a   # the role\n@id(\"x\")   allow a on table t op [ GetItem,Query ] fields [id , b.c] mask id show_last( 2 )\n");
        assertEquals(1, weir("policy", "fmt", "--check", dir.toString()).exit());
        assertEquals(0, weir("policy", "fmt", dir.toString()).exit());
        assertEquals("""
                role a # the role
                @id("x")
                allow a on table t op [GetItem, Query]
                  fields [id, b.c]
                  mask id show_last(2)
                """, Files.readString(f));
        assertEquals(0, weir("policy", "fmt", "--check", dir.toString()).exit());
    }

    @Test
    void explainNamesEveryRuleAndWhy() {
        Run r = weir("policy", "explain", CONF.toString(), "--principal", "ada", "--roles", "analyst", "--attr", "region=eu",
                "--op", "Query", "--table", "people", "--source", "203.0.113.9", "--time", "2025-01-06T10:00:00+01:00");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("decision: FORBIDDEN by [people-analyst-bulk-hours]"), r.out());
        assertTrue(r.out().contains("matched deny people-analyst-bulk-hours: role analyst, table people, Query, 'when not"), r.out());
        assertTrue(r.out().contains("no      allow people-support-read: it is for support; the principal holds [analyst]"), r.out());
    }

    @Test
    void replayListsTheDecisionsANewPolicyWouldChange(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Files.writeString(log, """
                {"@timestamp":"2025-01-06T09:00:00Z","event.action":"GetItem","user.name":"sam","user.roles":["support"],"source.ip":"127.0.0.1","weir.table":"people","weir.decision":"ALLOWED","rule.id":["people-support-read"],"weir.fields.masked":[],"weir.fields.removed":[]}
                {"@timestamp":"2025-01-06T09:00:01Z","event.action":"DeleteTable","user.name":"admin","user.roles":["admin"],"source.ip":"127.0.0.1","weir.table":"people","weir.decision":"ALLOWED","rule.id":["admin-all"],"weir.fields.masked":[],"weir.fields.removed":[]}
                {"@timestamp":"2025-01-06T09:00:02Z","event.action":"GetItem","user.name":null,"user.roles":[],"source.ip":"127.0.0.1","weir.table":"people","weir.decision":"UNAUTHENTICATED","rule.id":[]}
                """);
        Run r = weir("policy", "replay", "--audit", log.toString(), CONF.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("line 2: admin [admin] DeleteTable on people: ALLOWED [admin-all] -> FORBIDDEN [people-never-dropped]"), r.out());
        assertTrue(r.out().contains("2 decisions replayed, 1 would change, 1 events skipped"), r.out());
    }
}
