package dev.weir.policy.decision;

import dev.weir.policy.Policies;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.weir.policy.Policies.decide;
import static dev.weir.policy.Policies.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** weir's own tables: {@code table *} allows do not reach them, a rule naming one does, denies on {@code *} still apply. */
class ReservedTablesTest {
    @Test
    void anAllowOnEveryTableDoesNotReachWeirsOwnTables() {
        DecisionTable t = table("""
                role reader
                role ops
                allow reader on table * op *
                @id("ops-dead-letters") allow ops on table weir_dead_letters op [GetItem, Query, Scan]
                """);
        for (String reserved : ReservedTables.NAMES) {
            for (Operation op : Set.of(Operation.GetItem, Operation.Scan, Operation.GetRecords, Operation.PutItem, Operation.DescribeTable)) {
                assertInstanceOf(NotPermitted.class, decide(t, Set.of("reader"), reserved, op), reserved + " " + op);
            }
        }
        assertInstanceOf(Allowed.class, decide(t, Set.of("reader"), "people", Operation.Scan), "other tables as before");
        assertInstanceOf(Allowed.class, decide(t, Set.of("reader"), "never_named", Operation.Scan));
        assertEquals(java.util.List.of("ops-dead-letters"),
                assertInstanceOf(Allowed.class, decide(t, Set.of("ops"), ReservedTables.DEAD_LETTERS, Operation.Scan)).ruleIds(),
                "a rule that names the table grants it");
        assertInstanceOf(NotPermitted.class, decide(t, Set.of("ops"), ReservedTables.LIFECYCLE, Operation.Scan));
    }

    @Test
    void aDenyOnEveryTableStillApplies() {
        DecisionTable t = table("""
                role ops
                allow ops on table weir_dead_letters op [Scan]
                @id("no-scans") deny * on table * op [Scan] reason "no scans today"
                """);
        assertInstanceOf(Forbidden.class, decide(t, Set.of("ops"), ReservedTables.DEAD_LETTERS, Operation.Scan));
    }
}
