package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The firewall's steps together: every refusal is audited as its kind (never ALLOWED), table
 * ARNs are decided and forwarded as the table's name, and a request is forwarded as the plan
 * builds it.
 */
class FirewallTest {
    private static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/";
    private static final String POLICY = """
            role admin
            role analyst
            role ingest
            @id("admin-all") allow admin on table * op *
            @id("people-read") allow analyst on table [people, other] op [GetItem, Query, Scan, BatchGetItem, TransactGetItems]
              fields [id, name, region, ssn]
              mask ssn show_last(4)
            @id("no-secrets") deny analyst on table secrets op *
              reason "secrets are closed to analysts"
            @id("people-write") allow ingest on table people op [PutItem, BatchWriteItem, TransactWriteItems]
              require item.region in principal.regions
            @id("no-people-writes-by-tx") deny ingest on table people op [TransactWriteItems]
              when ctx."table".tags.frozen == "yes"
              reason "frozen tables (ticket #4711)"
            """;

    static FirewallHarness weir;

    @BeforeAll
    static void start() throws Exception {
        weir = new FirewallHarness(POLICY, (target, body) -> {
            if (target.endsWith("BatchGetItem")) {
                return Map.entry(200, "{\"Responses\":{\"people\":[{\"id\":{\"S\":\"1\"},\"ssn\":{\"S\":\"123-45-6789\"}}]},"
                        + "\"UnprocessedKeys\":{\"people\":{\"Keys\":[{\"id\":{\"S\":\"2\"}}]}}}");
            }
            if (target.endsWith("GetItem")) return Map.entry(200, "{\"Item\":{\"id\":{\"S\":\"1\"},\"ssn\":{\"S\":\"123-45-6789\"}}}");
            return Map.entry(200, "{}");
        }, Map.of("people", Map.of("frozen", "yes")));
    }

    @AfterAll
    static void stop() {
        weir.close();
    }

    @Test
    void aSideChannelProbeIsAuditedForbiddenWithItsRulesNeverAllowed() {
        int sent = weir.forwarded.size();
        var x = weir.call("analyst", "Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"begins_with(ssn, :p)\","
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"123\"}}}");
        assertEquals(400, x.status());
        assertTrue(x.body().contains("AccessDeniedException") && x.body().contains("it tests the field 'ssn'"), x.body());
        assertEquals("FORBIDDEN", x.event().decision());
        assertEquals(List.of("people-read"), x.event().ruleIds());
        assertEquals("AccessDeniedException", x.event().errorType());
        assertTrue(x.event().readPaths().contains("ssn"), "the probe's paths are audited: " + x.event().readPaths());
        assertEquals(List.of("ssn"), x.event().maskedFields());
        assertEquals(sent, weir.forwarded.size(), "nothing was forwarded");
    }

    @Test
    void everyRefusalIsAuditedAsItsKind() {
        assertEquals("UNAUTHENTICATED", weir.call("AKANALYST", "wrong-secret", "GetItem", "{\"TableName\":\"people\",\"Key\":{}}")
                .event().decision());
        assertEquals("UNAUTHENTICATED", weir.call("AKNOBODY", "x", "GetItem", "{}").event().decision());
        assertEquals("INVALID", weir.call("analyst", "GetItem", "{nope").event().decision());
        assertEquals("INVALID", weir.call("analyst", "Scan", "{\"TableName\":\"people\",\"FilterExpression\":\"a = \"}").event().decision());
        assertEquals("INVALID", weir.call("admin", "GetItem", "{\"TableName\":\"" + ARN + "people/index/i\",\"Key\":{}}").event().decision());
        assertEquals("UNENFORCEABLE", weir.call("analyst", "GetItem", "{\"TableName\":\"people\",\"Key\":{},\"Bogus\":1}").event().decision());
        assertEquals("UNENFORCEABLE", weir.call("ingest", "BatchWriteItem", "{\"RequestItems\":{\"people\":[{\"PutRequest\":"
                + "{\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"}}}}]}}").event().decision());
        var notPermitted = weir.call("analyst", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"}}}");
        assertEquals("NOT_PERMITTED", notPermitted.event().decision());
        assertTrue(notPermitted.body().contains("because no weir policy allows it"), notPermitted.body());
        var forbidden = weir.call("analyst", "GetItem", "{\"TableName\":\"secrets\",\"Key\":{\"id\":{\"S\":\"1\"}}}");
        assertEquals("FORBIDDEN", forbidden.event().decision());
        assertEquals(List.of("no-secrets"), forbidden.event().ruleIds());
        assertEquals("FORBIDDEN", weir.call("ingest", "PutItem", "{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"1\"},"
                + "\"region\":{\"S\":\"us\"}}}").event().decision(), "an item outside the caller's rows");
        var allowed = weir.call("analyst", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}}}");
        assertEquals(200, allowed.status());
        assertTrue(allowed.body().contains("****6789"), allowed.body());
        assertEquals("ALLOWED", allowed.event().decision());
        assertEquals(200, allowed.event().upstreamStatus());
        for (var e : weir.events) {
            assertFalse(e.decision().equals("ALLOWED") && e.upstreamStatus() == 0, "a request never forwarded is never ALLOWED: " + e);
        }
    }

    @Test
    void aDenyOnATableHoldsForItsArn() {
        var get = weir.call("analyst", "GetItem", "{\"TableName\":\"" + ARN + "secrets\",\"Key\":{\"id\":{\"S\":\"1\"}}}");
        assertEquals("FORBIDDEN", get.event().decision());
        assertTrue(get.body().contains("on resource: table/secrets because rule no-secrets forbids it"), get.body());
        assertEquals("secrets", get.event().table());
        var batch = weir.call("analyst", "BatchGetItem", "{\"RequestItems\":{\"" + ARN + "secrets\":{\"Keys\":[{\"id\":{\"S\":\"1\"}}]}}}");
        assertEquals("FORBIDDEN", batch.event().decision());
        var tx = weir.call("ingest", "TransactWriteItems", "{\"TransactItems\":[{\"Put\":{\"TableName\":\"" + ARN + "people\","
                + "\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"}}}}]}");
        assertEquals("FORBIDDEN", tx.event().decision(), "the tag deny (ctx.\"table\".tags, a '#' in its reason) fires for the ARN");
        assertTrue(tx.body().contains("frozen tables (ticket #4711)"), tx.body());
        var elsewhere = weir.call("admin", "GetItem", "{\"TableName\":\"arn:aws:dynamodb:us-east-1:999999999999:table/people\","
                + "\"Key\":{\"id\":{\"S\":\"1\"}}}");
        assertEquals("FORBIDDEN", elsewhere.event().decision());
        assertTrue(elsewhere.body().contains("account 999999999999"), elsewhere.body());
    }

    @Test
    void anArnIsForwardedAsTheTablesNameAndAnsweredUnderTheClientsName() throws Exception {
        int sent = weir.forwarded.size();
        var get = weir.call("admin", "GetItem", "{\"TableName\":\"" + ARN + "people\",\"Key\":{\"id\":{\"S\":\"1\"}}}");
        assertEquals(200, get.status());
        assertEquals("people", Requests.JSON.readTree(weir.forwarded.get(sent).body()).get("TableName").asText());

        var batch = weir.call("analyst", "BatchGetItem", "{\"RequestItems\":{\"" + ARN + "people\":{\"Keys\":[{\"id\":{\"S\":\"1\"}},"
                + "{\"id\":{\"S\":\"2\"}}]}}}");
        assertEquals(200, batch.status(), batch.body());
        JsonNode forwarded = Requests.JSON.readTree(weir.forwarded.get(sent + 1).body());
        assertTrue(forwarded.get("RequestItems").has("people"), forwarded.toString());
        JsonNode answer = Requests.JSON.readTree(batch.body());
        assertEquals("****6789", answer.get("Responses").get(ARN + "people").get(0).get("ssn").get("S").asText(), batch.body());
        assertTrue(answer.get("UnprocessedKeys").has(ARN + "people"), batch.body());
        assertEquals("people", batch.event().table());

        weir.call("admin", "GetItem", "{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}}}");
        assertEquals("{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"1\"}}}", weir.forwarded.get(sent + 2).body(),
                "a request nothing changes is forwarded byte for byte");
    }
}
