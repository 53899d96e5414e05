package dev.weir.appliance.reload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EcsJsonLines;
import dev.weir.policy.watch.PolicyWatcher;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reload records: a refused reload is a failure with each error's file:line:column, never the source line it quotes. */
class ReloadEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRefusedPolicyReloadIsAFailureWithItsPlaces() throws Exception {
        AuditEvent e = ReloadEvents.policy(new PolicyWatcher.Outcome(false, "abc", List.of(
                "people.weir:12:7: error: unknown role 'admni'\nallow admni on table * op *\n      ^",
                "people.weir:20:1: error: something else")));
        assertEquals("weir:PolicyReload", e.operation());
        assertEquals("REFUSED", e.decision());
        assertEquals("ReloadRefused", e.errorType());
        assertEquals("abc", e.policyHash());
        assertEquals("people.weir:12:7: error: unknown role 'admni'; people.weir:20:1: error: something else", e.note());
        JsonNode ecs = JSON.readTree(new EcsJsonLines().encode(e));
        assertEquals("failure", ecs.get("event.outcome").asText());
        assertEquals("weir:PolicyReload", ecs.get("event.action").asText());
    }

    @Test
    void aPublishedReloadIsASuccessAndKeepsItsWarnings() throws Exception {
        AuditEvent e = ReloadEvents.policy(new PolicyWatcher.Outcome(true, "def",
                List.of("p.weir: warning: the policy set has no rules: every request will be denied")));
        assertEquals("RELOADED", e.decision());
        assertNull(e.errorType());
        assertTrue(e.note().contains("no rules"));
        assertEquals("success", JSON.readTree(new EcsJsonLines().encode(e)).get("event.outcome").asText());
        assertNull(ReloadEvents.policy(new PolicyWatcher.Outcome(true, "def", List.of())).note());
    }

    @Test
    void principalsReloadsSayHowManyOrWhy() throws Exception {
        AuditEvent ok = ReloadEvents.principalsReloaded("/etc/weir/principals.yaml", 1);
        assertEquals("weir:PrincipalsReload", ok.operation());
        assertEquals("/etc/weir/principals.yaml: 1 principal", ok.note());
        AuditEvent refused = ReloadEvents.principalsRefused("p.yaml:3:5: error: unknown key 'x'\n    x: ********\n    ^");
        assertEquals("REFUSED", refused.decision());
        assertEquals("p.yaml:3:5: error: unknown key 'x'", refused.note());
        assertEquals("failure", JSON.readTree(new EcsJsonLines().encode(refused)).get("event.outcome").asText());
        String longMessage = "x".repeat(10_000);
        assertEquals(ReloadEvents.MAX_NOTE, ReloadEvents.principalsRefused(longMessage).note().length());
    }
}
