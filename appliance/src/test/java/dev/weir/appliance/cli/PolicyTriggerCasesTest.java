package dev.weir.appliance.cli;

import dev.weir.appliance.lifecycle.TriggerRunner;
import dev.weir.policy.testing.PolicyTestRunner;
import dev.weir.proxy.enforce.stream.UpstreamNumbers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Change cases of stream triggers, judged as {@code weir policy test} and the trigger worker judge
 * them: through the firewall's record cut (proxy RoleRecordView, wired by {@link TriggerRunner#views})
 * and lifecycle's judgement (policy-dsl RecordFilter.judge). Row filters, masks, the move-out
 * rule, the mark guard and a refused stream, with expectations that hold and ones that fail.
 */
class PolicyTriggerCasesTest {
    private static final String POLICY = """
            role watcher
            role keyless
            @id("watch-open") allow watcher on table cases op read
              rows where item.status == "open"
              fields [id, status, owner, priority]
              mask owner show_last(2)
            @id("keyless-read") allow keyless on table cases op read fields [status]

            @id("escalate")
            trigger on table cases
              when [INSERT, MODIFY, REMOVE]
              changed [priority, status]
              call "https://f.internal/escalate"
              as role watcher
              mark escalated
            @id("blind")
            trigger on table cases call "https://f.internal/blind" as role keyless mark blind_done
            """;

    private static PolicyTestRunner.Report run(Path dir, String cases) throws Exception {
        Files.writeString(dir.resolve("cases.weir"), POLICY);
        Files.writeString(dir.resolve("cases.test.yaml"), """
                tables:
                  cases: {key: [id]}
                fixtures:
                  open: &open {id: c-1, status: open, owner: alice, priority: 1, notes: secret}
                cases:
                """ + cases);
        return PolicyTestRunner.run(dir, TriggerRunner.views(UpstreamNumbers.COUNT_FREE));
    }

    private static List<String> failures(PolicyTestRunner.Report r) {
        return r.cases().stream().flatMap(c -> c.failures().stream().map(f -> c.name() + ": " + f)).toList();
    }

    @Test
    void theInputIsTheRecordCutThroughTheRolesView(@TempDir Path dir) throws Exception {
        PolicyTestRunner.Report r = run(dir, """
                  - name: an open case is inserted; the owner is masked, the notes are cut
                    trigger: escalate
                    change: {event: INSERT, new: *open}
                    expect:
                      fires: [escalate]
                      input: {escalate: {event: INSERT, keys: {id: c-1}, new: {id: c-1, status: open, owner: "****ce", priority: 1}}}
                      mark: {escalate: escalated}
                  - name: closing a case moves it out of the view, a REMOVE for the role, and the item is still marked
                    trigger: escalate
                    change: {event: MODIFY, old: *open, new: {<<: *open, status: closed}}
                    expect:
                      fires: [escalate]
                      input: {escalate: {event: REMOVE, keys: {id: c-1}, old: {id: c-1, status: open, owner: "****ce", priority: 1}}}
                      mark: {escalate: escalated}
                  - name: reopening moves it in, an INSERT
                    trigger: escalate
                    change: {event: MODIFY, old: {<<: *open, status: closed}, new: *open}
                    expect:
                      fires: [escalate]
                      input: {escalate: {event: INSERT, keys: {id: c-1}, new: {id: c-1, status: open, owner: "****ce", priority: 1}}}
                  - name: a deleted case is called, and leaves no item to mark
                    trigger: escalate
                    change: {event: REMOVE, old: *open}
                    expect: {fires: [escalate], mark: {escalate: none}}
                  - name: a change of hidden notes only is no change to the role
                    trigger: escalate
                    change: {event: MODIFY, old: *open, new: {<<: *open, notes: other}}
                    expect: {fires: []}
                  - name: the trigger's own mark fires nothing
                    trigger: escalate
                    change: {event: MODIFY, old: *open, new: {<<: *open, escalated: 7}}
                    expect: {fires: []}
                  - name: a closed case is not the role's
                    trigger: escalate
                    change: {event: INSERT, new: {<<: *open, status: closed}}
                    expect: {fires: []}
                  - name: of the two triggers on the table, the one whose role cannot read the key waits
                    table: cases
                    change: {event: INSERT, new: *open}
                    expect: {fires: [escalate]}
                """);
        assertTrue(r.passed(), failures(r).toString());
        assertEquals(List.of("escalate"), r.coveredTriggers());
        assertEquals(List.of("blind"), r.uncoveredTriggers());
    }

    @Test
    void wrongExpectationsFailWithWhatTheFunctionGets(@TempDir Path dir) throws Exception {
        PolicyTestRunner.Report r = run(dir, """
                  - name: expects the unmasked owner and an unmoved MODIFY
                    trigger: escalate
                    change: {event: MODIFY, old: *open, new: {<<: *open, status: closed}}
                    expect:
                      input: {escalate: {event: MODIFY, keys: {id: c-1}, old: {id: c-1, status: open, owner: alice, priority: 1}}}
                  - name: expects a call on the mark
                    trigger: escalate
                    change: {event: MODIFY, old: *open, new: {<<: *open, escalated: 7}}
                    expect: {fires: [escalate]}
                  - name: expects the blind trigger to fire
                    table: cases
                    change: {event: INSERT, new: *open}
                    expect: {fires: [escalate, blind], mark: {escalate: marked}}
                  - name: expects a mark on a REMOVE
                    trigger: escalate
                    change: {event: REMOVE, old: *open}
                    expect: {mark: {escalate: escalated}}
                """);
        assertEquals(List.of(
                "expects the unmasked owner and an unmoved MODIFY: escalate input.event: expected MODIFY, but the function gets REMOVE",
                "expects the unmasked owner and an unmoved MODIFY: escalate input.old: expected {id: \"c-1\", status: \"open\", "
                        + "owner: \"alice\", priority: 1}\n      but the function gets {id: \"c-1\", status: \"open\", owner: \"****ce\", "
                        + "priority: 1}",
                "expects a call on the mark: expected escalate to fire, but it does not: only completion marks changed",
                "expects the blind trigger to fire: expected blind to fire, but it does not: role keyless may not read the stream: "
                        + "every stream record carries the key attribute 'id', which the caller may not read in the clear",
                "expects the blind trigger to fire: expected escalate to write the mark marked, but it writes escalated "
                        + "(SET escalated = <sequence number> on {id: \"c-1\"})",
                "expects a mark on a REMOVE: expected escalate to write the mark escalated, but it writes none (a REMOVE leaves no "
                        + "item to mark)"), failures(r));
    }
}
