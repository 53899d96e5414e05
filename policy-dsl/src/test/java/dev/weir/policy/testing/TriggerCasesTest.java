package dev.weir.policy.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trigger cases of the policy tests that policy-dsl judges on its own: API-call triggers, schedules,
 * mistakes in test files (with file:line:column) and coverage. Change cases need the firewall's
 * record cut, which the appliance supplies (appliance {@code PolicyTriggerCasesTest}); without it
 * they fail, saying so.
 */
class TriggerCasesTest {
    private static final String POLICY = """
            role admin
            role auditor
            role masked_auditor
            role reporter
            @id("admin-all") allow admin on table * op *
            @id("auditor-read") allow auditor on table images op read fields [id, kind]
            @id("masked-read") allow masked_auditor on table images op read mask id show_last(2)

            @id("audit-deletes")
            trigger on request op [DeleteItem] on table images call "https://audit.internal/d" as role auditor
            @id("masked-deletes")
            trigger on request op [DeleteItem, UpdateItem] on table images call "https://audit.internal/m" as role masked_auditor
            @id("nightly")
            trigger every "0 3 * * *" call "https://reports.internal/run" as role reporter
            @id("quarterly")
            trigger every "*/15 * * * *" call "https://reports.internal/q" as role reporter
            @id("images-changed")
            trigger on table images call "https://f.internal/x" as role auditor mark seen
            """;

    private static PolicyTestRunner.Report run(Path dir, String tests) throws Exception {
        Files.writeString(dir.resolve("p.weir"), POLICY);
        Files.writeString(dir.resolve("p.test.yaml"), tests);
        return PolicyTestRunner.run(dir);
    }

    private static List<String> failures(PolicyTestRunner.Report r) {
        return r.cases().stream().flatMap(c -> c.failures().stream().map(f -> c.name() + ": " + f)).toList();
    }

    @Test
    void apiCallTriggersFireOnPermittedRequestsWithTheKeyTheRoleReads(@TempDir Path dir) throws Exception {
        PolicyTestRunner.Report r = run(dir, """
                principals:
                  admin: {roles: [admin]}
                  auditor: {roles: [auditor]}
                cases:
                  - name: a permitted delete fires the triggers whose role reads the key
                    principal: admin
                    request: {op: DeleteItem, table: images, key: {id: img-1}}
                    expect:
                      decision: ALLOWED
                      fires: [audit-deletes]
                      input: {audit-deletes: {id: img-1}}
                  - name: a refused delete fires nothing
                    principal: auditor
                    request: {op: DeleteItem, table: images, key: {id: img-1}}
                    expect: {decision: NOT_PERMITTED, fires: []}
                  - name: another operation fires only the triggers on it
                    principal: admin
                    request: {op: UpdateItem, table: images, key: {id: img-1}}
                    expect: {fires: []}
                """);
        assertTrue(r.passed(), failures(r).toString());
        assertEquals(List.of("audit-deletes"), r.coveredTriggers());

        // the masked key is not sent; expecting it fails with the reason, and so does a wrong key
        r = run(dir, """
                cases:
                  - name: expects the masked role's trigger
                    principal: {roles: [admin]}
                    request: {op: DeleteItem, table: images, key: {id: img-1}}
                    expect:
                      fires: [audit-deletes, masked-deletes]
                      input: {audit-deletes: {id: img-2}}
                """);
        assertEquals(List.of(
                "expects the masked role's trigger: expected masked-deletes to fire, but it does not: not sent: role masked_auditor "
                        + "does not read every key attribute in the clear",
                "expects the masked role's trigger: audit-deletes input: expected the key {id: \"img-2\"}\n"
                        + "      but the function gets {id: \"img-1\"}"), failures(r));
        assertFalse(r.passed());
    }

    @Test
    void schedulesDueInAMinute(@TempDir Path dir) throws Exception {
        PolicyTestRunner.Report r = run(dir, """
                cases:
                  - name: three o'clock
                    at: "2026-01-01T03:00:00Z"
                    expect: {fires: [nightly, quarterly]}
                  - name: a minute within three o'clock's minute
                    at: "2026-01-01T04:00:59+01:00"
                    expect: {fires: [nightly, quarterly]}
                  - name: five past
                    at: "2026-01-01T03:05:00Z"
                    expect: {fires: []}
                  - name: wrongly expects the nightly at half past
                    at: "2026-01-01T03:30:00Z"
                    expect: {fires: [nightly]}
                """);
        assertEquals(List.of("wrongly expects the nightly at half past: expected nightly to fire, but it does not: "
                + "\"0 3 * * *\" is not due at 2026-01-01T03:30:00Z",
                "wrongly expects the nightly at half past: expected quarterly not to fire, but it does"), failures(r));
        assertEquals(List.of("nightly", "quarterly"), r.coveredTriggers());
    }

    @Test
    void mistakesInTriggerCasesNameTheirLineAndColumn(@TempDir Path dir) throws Exception {
        PolicyTestRunner.Report r = run(dir, """
                tables:
                  images: {key: [id]}
                cases:
                  - name: unknown trigger
                    trigger: image-changed
                    change: {event: INSERT, new: {id: a}}
                    expect: {fires: []}
                  - name: bad event
                    trigger: images-changed
                    change: {event: UPSERT, new: {id: a}}
                    expect: {fires: []}
                  - name: a schedule named in a change case
                    trigger: nightly
                    change: {event: INSERT, new: {id: a}}
                    expect: {fires: []}
                  - name: an INSERT with an old image
                    trigger: images-changed
                    change: {event: INSERT, old: {id: a}, new: {id: a}}
                    expect: {fires: []}
                  - name: no key attribute in the image
                    trigger: images-changed
                    change: {event: INSERT, new: {name: a}}
                    expect: {fires: []}
                  - name: a stream trigger expected of a request
                    principal: {roles: [admin]}
                    request: {op: DeleteItem, table: images, key: {id: a}}
                    expect: {fires: [images-changed]}
                  - name: a mark expected of a schedule
                    at: "2026-01-01T03:00:00Z"
                    expect: {fires: [], mark: {nightly: done}}
                  - name: a bad minute
                    at: "tomorrow"
                    expect: {fires: []}
                  - name: both a change and a minute
                    trigger: images-changed
                    at: "2026-01-01T03:00:00Z"
                    change: {event: INSERT, new: {id: a}}
                    expect: {fires: []}
                """);
        assertEquals(List.of(
                "unknown trigger: bad case: p.test.yaml:5:14: unknown trigger 'image-changed' (did you mean 'images-changed'?)",
                "bad event: bad case: p.test.yaml:10:21: unknown event 'UPSERT': INSERT, MODIFY or REMOVE",
                "a schedule named in a change case: bad case: p.test.yaml:13:14: trigger 'nightly' is a schedule, and this case is a "
                        + "change (for stream triggers)",
                "an INSERT with an old image: bad case: p.test.yaml:18:13: an INSERT has a new image and no old one",
                "no key attribute in the image: bad case: p.test.yaml:22:34: the image has no key attribute 'id'",
                "a stream trigger expected of a request: bad case: p.test.yaml:27:22: trigger 'images-changed' is a stream trigger, "
                        + "and this case is a request (for API-call triggers)",
                "a mark expected of a schedule: bad case: p.test.yaml:30:31: unknown member 'mark': a schedule case expects [fires]",
                "a bad minute: bad case: p.test.yaml:32:9: 'at' is not an ISO date-time with offset (2026-01-01T03:00:00Z): tomorrow",
                "both a change and a minute: bad case: p.test.yaml:34:5: a case has one of 'request:', 'change:' (stream triggers) "
                        + "and 'at:' (schedules)"), failures(r));
    }

    @Test
    void changeCasesNeedTheFirewallsCutAndCoverageCountsTriggers(@TempDir Path dir) throws Exception {
        PolicyTestRunner.Report r = run(dir, """
                cases:
                  - name: a change without the firewall's cut
                    trigger: images-changed
                    change: {event: INSERT, key: [id], new: {id: a}}
                    expect: {fires: [images-changed]}
                  - name: nightly
                    at: "2026-01-01T03:00:00Z"
                    expect: {fires: [nightly, quarterly]}
                  - name: admin
                    principal: {roles: [admin]}
                    request: {op: GetItem, table: images}
                    expect: {decision: ALLOWED}
                """);
        assertEquals(List.of("a change without the firewall's cut: change cases need the firewall's record cut: run them with "
                + "./weir policy test"), failures(r));
        assertEquals(List.of("admin-all", "auditor-read", "masked-read"), r.ruleIds());
        assertEquals(List.of("audit-deletes", "images-changed", "masked-deletes", "nightly", "quarterly"), r.triggerIds());
        assertEquals(List.of("nightly", "quarterly"), r.coveredTriggers());
        assertEquals(List.of("audit-deletes", "images-changed", "masked-deletes"), r.uncoveredTriggers());
        assertEquals(100.0 * 3 / 8, r.coverage(), 1e-9, "1 of 3 rules and 2 of 5 triggers");
    }

    @Test
    void yamlKeepsPositionsAndMergesKeys() {
        Yaml.Doc doc = Yaml.parse("""
                base: &b {id: a, n: 1}
                item: {<<: *b, n: 2, at: 2026-01-01T03:00:00Z}
                """);
        assertEquals("a", doc.root().get("item").get("id").asText(), "merged in");
        assertEquals(2, doc.root().get("item").get("n").asInt(), "its own key wins over the merged one");
        assertEquals("2:26", doc.at(doc.root().get("item").get("at")));
        assertEquals("2026-01-01T03:00:00Z", doc.root().get("item").get("at").asText(), "a timestamp stays its text");
    }
}
