package dev.weir.policy.replay;

import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.DecisionTable;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Replaying refusals: a check's refusal after an allow is not a decision the table changed. */
class AuditReplayTest {
    private static DecisionTable table(String policy) {
        return PolicyLoader.load(List.of(new PolicySource("p.weir", policy))).table().orElseThrow();
    }

    private static String event(String decision, String rule) {
        return "{\"@timestamp\":\"2025-01-06T09:00:00Z\",\"event.action\":\"Scan\",\"user.name\":\"ann\",\"user.roles\":[\"analyst\"],"
                + "\"source.ip\":\"127.0.0.1\",\"weir.table\":\"people\",\"weir.decision\":\"" + decision + "\",\"rule.id\":[\"" + rule + "\"]}";
    }

    @Test
    void aCheckRefusalAfterTheSameAllowIsNoChangeADenyIs() throws Exception {
        String log = String.join("\n", event("FORBIDDEN", "read"), event("FORBIDDEN", "gone"), event("UNENFORCEABLE", "read"));
        AuditReplay.Report same = AuditReplay.replay(new BufferedReader(new StringReader(log)),
                table("role analyst\n@id(\"read\") allow analyst on table people op [Scan]\n"), Map.of());
        assertEquals(2, same.replayed());
        assertEquals(1, same.skipped(), "UNENFORCEABLE never reached a decision the table alone makes");
        assertEquals(1, same.changes().size(), same.changes().toString());
        assertEquals(2, same.changes().getFirst().line(), "the deny 'gone' is gone: that is a change");
        AuditReplay.Report other = AuditReplay.replay(new BufferedReader(new StringReader(event("FORBIDDEN", "read"))),
                table("role analyst\n@id(\"read2\") allow analyst on table people op [Scan]\n"), Map.of());
        assertEquals(1, other.changes().size(), "allowed by another rule now: a change");
    }

    /** In sync mode a forwarded request has a decision and an outcome record: its decision is replayed once. */
    @Test
    void aRequestsOutcomeRecordIsNotReplayedAgain() throws Exception {
        String decision = event("ALLOWED", "read").replace("}", ",\"weir.phase\":\"decision\"}");
        String outcome = event("ALLOWED", "read").replace("}", ",\"weir.phase\":\"outcome\"}");
        AuditReplay.Report r = AuditReplay.replay(new BufferedReader(new StringReader(decision + "\n" + outcome)),
                table("role analyst\n@id(\"other\") allow analyst on table people op [Scan]\n"), Map.of());
        assertEquals(1, r.replayed());
        assertEquals(1, r.skipped());
        assertEquals(1, r.changes().size(), "one change, not two: " + r.changes());
    }
}
