package dev.weir.appliance.console;

import dev.weir.audit.event.AuditEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveFeedTest {
    static AuditEvent request(String principal, String decision, List<String> rules, long minute) {
        return AuditEvent.builder().sequence(1).timeMicros(minute * 60_000_000L + 5).principal(principal).roles(List.of("r"))
                .source("10.0.0.1", 4000).operation("GetItem").table("people").decision(decision).ruleIds(rules)
                .maskedFields(List.of("ssn")).removedFields(List.of("salary")).itemKeys(List.of("{\"id\":{\"S\":\"secret-key-value\"}}"))
                .note("the key of an item put into people is not named").phase(AuditEvent.COMPLETE).status(200).build();
    }

    @Test
    void keepsNamesAndNumbersButNeitherItemKeysNorNotes() {
        LiveFeed feed = new LiveFeed(10);
        feed.write(request("ana", "ALLOWED", List.of("r1"), 100));
        LiveFeed.Seen s = feed.recent().getFirst();
        assertEquals("ana", s.principal());
        assertEquals(List.of("ssn"), s.masked());
        assertEquals(List.of("salary"), s.removed());
        // no component of what the console keeps holds the key value or the note
        assertFalse(s.toString().contains("secret-key-value"), s.toString());
        assertFalse(s.toString().contains("not named"), s.toString());
    }

    @Test
    void theRingKeepsTheLastRequestsAndCountsEveryOne() {
        LiveFeed feed = new LiveFeed(3);
        for (int i = 0; i < 5; i++) feed.write(request("p" + i, i == 4 ? "NOT_PERMITTED" : "ALLOWED", List.of("r1"), 100));
        assertEquals(List.of("p4", "p3", "p2"), feed.recent().stream().map(LiveFeed.Seen::principal).toList());
        assertEquals(5, feed.requests());
        assertEquals(1, feed.denied());
    }

    @Test
    void aSyncDecisionRecordIsCountedOnceThroughItsOutcome() {
        LiveFeed feed = new LiveFeed(10);
        AuditEvent decision = request("ana", "ALLOWED", List.of("r1"), 100).toBuilder().phase(AuditEvent.DECISION).build();
        feed.write(decision);
        feed.write(decision.toBuilder().phase(AuditEvent.OUTCOME).build());
        assertEquals(1, feed.requests());
        assertEquals(1, feed.recent().size());
    }

    @Test
    void countsPerRuleAndPrincipalPerMinute() {
        LiveFeed feed = new LiveFeed(100);
        feed.write(request("ana", "ALLOWED", List.of("r1"), 100));
        feed.write(request("ana", "ALLOWED", List.of("r1", "r2"), 100));
        feed.write(request("bob", "NOT_PERMITTED", List.of(), 101));
        LiveFeed.Counts rules = feed.byRule(10);
        assertEquals(List.of(100L, 101L), rules.minutes());
        assertEquals(2L, rules.byKey().get("r1").get(100L));
        assertEquals(1L, rules.byKey().get("r2").get(100L));
        assertEquals(1L, rules.byKey().get("(no rule: default deny)").get(101L));
        assertEquals(2L, feed.byPrincipal(10).byKey().get("ana").get(100L));
        assertEquals(List.of(101L), feed.byRule(1).minutes(), "only the last minute asked for");
        // minutes older than the window are dropped
        feed.write(request("ana", "ALLOWED", List.of("r1"), 100 + LiveFeed.MINUTES + 1));
        assertFalse(feed.byRule(LiveFeed.MINUTES + 5).minutes().contains(100L));
    }

    @Test
    void reloadsAndTriggerRecordsAreKeptApartFromRequests() {
        LiveFeed feed = new LiveFeed(10);
        feed.write(AuditEvent.builder().timeMicros(1).operation("weir:PolicyReload").decision("REFUSED").errorType("ReloadRefused")
                .note("people.weir:3:7: error: unknown role 'x'").build());
        feed.write(AuditEvent.builder().timeMicros(2).operation("weir:TriggerDeadLetter").table("people").ruleIds(List.of("t1"))
                .decision("DEAD_LETTER").build());
        assertEquals(0, feed.requests());
        LiveFeed.Reload r = feed.reloads().getFirst();
        assertFalse(r.applied());
        assertTrue(r.note().contains("people.weir:3:7"));
        assertEquals(1L, feed.triggerCounts().get("TriggerDeadLetter people t1 DEAD_LETTER"));
    }
}
