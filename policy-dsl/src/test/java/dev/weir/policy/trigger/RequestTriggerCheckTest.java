package dev.weir.policy.trigger;

import dev.weir.policy.LoadResult;
import dev.weir.policy.Policies;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API-call triggers ({@code trigger on request op [..] on table T}) in the policy language: compiling, matching, refusals. */
class RequestTriggerCheckTest {
    private static final String ROLES = """
            role auditor
            role writer
            allow auditor on table images op read
            allow writer on table images op write
            role scoped
            allow scoped on table images op read rows where item.owner == "me"
            """;

    private static List<String> headlines(String trigger) {
        return Policies.load("audit.weir", ROLES + trigger).diagnostics().stream().map(d -> d.headline()).toList();
    }

    @Test
    void aRequestTriggerCompilesAndMatchesItsOperationsOnItsTableOnly() {
        LoadResult r = Policies.load("audit.weir", ROLES + """
                @id("audit-deletes")
                trigger on request op [DeleteItem, UpdateItem] on table images
                  call "https://audit.internal/deleted"
                  as role auditor
                  retry 2 backoff 1s to 1m
                """);
        assertTrue(r.ok(), r.diagnostics().toString());
        assertTrue(r.table().orElseThrow().triggers().isEmpty(), "not a stream trigger");
        assertTrue(r.table().orElseThrow().schedules().isEmpty(), "not a schedule");
        List<RequestTriggerSpec> specs = r.table().orElseThrow().requestTriggers();
        assertEquals(1, specs.size());
        RequestTriggerSpec s = specs.getFirst();
        assertEquals("audit-deletes", s.id());
        assertEquals("images", s.table());
        assertEquals(Set.of(Operation.DeleteItem, Operation.UpdateItem), s.operations());
        assertEquals(URI.create("https://audit.internal/deleted"), s.url());
        assertEquals("auditor", s.role());
        assertEquals(2, s.retries());
        assertEquals(Duration.ofSeconds(1), s.backoffLow());
        assertEquals(Duration.ofMinutes(1), s.backoffHigh());
        assertTrue(s.matches("images", Operation.DeleteItem));
        assertTrue(s.matches("images", Operation.UpdateItem));
        assertFalse(s.matches("images", Operation.GetItem));
        assertFalse(s.matches("images", Operation.PutItem));
        assertFalse(s.matches("videos", Operation.DeleteItem));
    }

    @Test
    void defaultsAreTheStreamTriggersOnes() {
        LoadResult r = Policies.load("audit.weir", ROLES
                + "@id(\"d\") trigger on request op [DeleteItem] on table images call \"http://h/f\" as role auditor\n");
        assertTrue(r.ok(), r.diagnostics().toString());
        RequestTriggerSpec s = r.table().orElseThrow().requestTriggers().getFirst();
        assertEquals(TriggerSpec.DEFAULT_RETRIES, s.retries());
        assertEquals(TriggerSpec.DEFAULT_BACKOFF_LOW, s.backoffLow());
    }

    @Test
    void otherOperationsAndKindsAreRefused() {
        assertEquals(List.of("audit.weir:7:33: error: a request trigger fires on DeleteItem, UpdateItem, GetItem "
                        + "(requests that name one item by its Key), not 'PutItem'"),
                headlines("@id(\"d\") trigger on request op [PutItem] on table images call \"http://h/f\" as role auditor\n"));
        assertEquals(List.of("audit.weir:7:45: error: operation 'DeleteItem' is listed twice"),
                headlines("@id(\"d\") trigger on request op [DeleteItem, DeleteItem] on table images call \"http://h/f\" as role auditor\n"));
        assertTrue(headlines("@id(\"d\") trigger on reply op [DeleteItem] on table images call \"http://h/f\" as role auditor\n")
                .getFirst().contains("not 'on reply'"));
    }

    @Test
    void clausesThatJudgeAChangeAreRefused() {
        List<String> h = headlines("@id(\"d\") trigger on request op [DeleteItem] on table images call \"http://h/f\" as role auditor"
                + " mark done batch 2\n");
        assertEquals(2, h.size(), h.toString());
        assertTrue(h.stream().allMatch(m -> m.contains("a request trigger has no '")), h.toString());
    }

    @Test
    void aRoleThatMayNotReadTheItemsIsRefused() {
        List<String> h = headlines("@id(\"d\") trigger on request op [DeleteItem] on table images call \"http://h/f\" as role writer\n");
        assertEquals(1, h.size(), h.toString());
        assertTrue(h.getFirst().contains("role 'writer' may not read the items of table images"), h.toString());
    }

    @Test
    void aRoleThatReadsOnlySomeRowsIsRefused() {
        List<String> h = headlines("@id(\"d\") trigger on request op [DeleteItem] on table images call \"http://h/f\" as role scoped\n");
        assertEquals(1, h.size(), h.toString());
        assertTrue(h.getFirst().contains("role 'scoped' reads only some rows of table images"), h.toString());
    }
}
