package dev.weir.proxy.enforce.write;

import dev.weir.policy.decision.DecisionTable;
import dev.weir.proxy.enforce.Decisions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * What writes return goes through the caller's read view (a GetItem's), never its write rule:
 * a hidden row is withheld whole, a visible one masked, UPDATED_* cut after the view; a failed
 * condition's item and a transaction's cancellation items likewise.
 */
class ReturnedValuesTest {
    /** w writes every field; its reads show its region, salary bucketed, no secret, no classified row. */
    private static final DecisionTable POLICY = Decisions.compile("""
            role w
            role admin
            @id("w-read") allow w on table t op [GetItem] rows where item.region == principal.region
              fields [id, region, salary, name, notes]
              mask salary bucket(10000)
            @id("w-write") allow w on table t op [PutItem, UpdateItem, DeleteItem, TransactWriteItems]
            @id("no-classified") deny * on table t op [GetItem] rows where item.classified == true
            @id("admin") allow admin on table * op *
            """);

    private static final String KEY = "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"}},";
    private static final String STORED = "{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"salary\":{\"N\":\"123456\"},"
            + "\"secret\":{\"S\":\"CANARY\"},\"notes\":{\"S\":\"n\"}}";

    @Test
    void updatedValuesAreAskedWholeAndCutAfterTheView() throws Exception {
        var d = decided("w", "UpdateItem", KEY + "\"UpdateExpression\":\"SET notes = :n, salary = :s\",\"ExpressionAttributeValues\":"
                + "{\":n\":{\"S\":\"x\"},\":s\":{\"N\":\"123456\"}},\"ReturnValues\":\"UPDATED_NEW\"}");
        assertEquals("ALL_NEW", ReturnedValues.forwarded(d.part(), d.view()));
        var shown = ReturnedValues.filter(("{\"Attributes\":" + STORED + "}").getBytes(StandardCharsets.UTF_8), d.part(), d.view());
        assertEquals("{\"Attributes\":{\"notes\":{\"S\":\"n\"},\"salary\":{\"N\":\"120000\"}}}", text(shown.body()));
        assertEquals(1, shown.shown());
        d = decided("w", "DeleteItem", KEY + "\"ReturnValues\":\"ALL_OLD\"}");
        assertNull(ReturnedValues.forwarded(d.part(), d.view()));
        assertEquals("{\"Attributes\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"salary\":{\"N\":\"120000\"},\"notes\":{\"S\":\"n\"}},"
                + "\"ConsumedCapacity\":{\"TableName\":\"t\",\"CapacityUnits\":1.0}}",
                text(ReturnedValues.filter(("{\"Attributes\":" + STORED + ",\"ConsumedCapacity\":{\"TableName\":\"t\",\"CapacityUnits\":1.0}}")
                        .getBytes(StandardCharsets.UTF_8), d.part(), d.view()).body()));
    }

    @Test
    void aHiddenRowIsWithheldWhole() throws Exception {
        var d = decided("w", "DeleteItem", KEY + "\"ReturnValues\":\"ALL_OLD\"}");
        for (String hidden : List.of(STORED.replace("\"eu\"", "\"us\""), STORED.replace("}}", "},\"classified\":{\"BOOL\":true}}"))) {
            var shown = ReturnedValues.filter(("{\"Attributes\":" + hidden + "}").getBytes(StandardCharsets.UTF_8), d.part(), d.view());
            assertEquals("{}", text(shown.body()));
            assertEquals(1, shown.withheld());
        }
    }

    @Test
    void anUnrestrictedViewGetsTheStoresAnswerAsItIs() throws Exception {
        var d = decided("admin", "UpdateItem", KEY.replace("\"t\"", "\"u\"") + "\"UpdateExpression\":\"SET notes = :n\",\"ExpressionAttributeValues\":"
                + "{\":n\":{\"S\":\"x\"}},\"ReturnValues\":\"UPDATED_OLD\"}");
        assertNull(ReturnedValues.forwarded(d.part(), d.view()));
        byte[] body = ("{\"Attributes\":" + STORED + "}").getBytes(StandardCharsets.UTF_8);
        assertSame(body, ReturnedValues.filter(body, d.part(), d.view()).body());
    }

    @Test
    void failedConditionsAndCancellationsShowTheirItemsThroughTheView() throws Exception {
        var d = decided("w", "UpdateItem", KEY + "\"UpdateExpression\":\"SET notes = :n\",\"ExpressionAttributeValues\":"
                + "{\":n\":{\"S\":\"x\"}}}");
        String type = "\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"The conditional request failed\"";
        assertEquals("{" + type + ",\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"salary\":{\"N\":\"120000\"},\"notes\":{\"S\":\"n\"}}}",
                text(FailureItems.filter(("{" + type + ",\"Item\":" + STORED + "}").getBytes(StandardCharsets.UTF_8), i -> d.view())));
        assertEquals("{" + type + "}", text(FailureItems.filter(("{" + type + ",\"Item\":" + STORED.replace("\"eu\"", "\"us\"") + "}")
                .getBytes(StandardCharsets.UTF_8), i -> d.view())));
        String canceled = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\",\"Message\":\"m\","
                + "\"CancellationReasons\":[{\"Code\":\"None\"},{\"Code\":\"ConditionalCheckFailed\",\"Item\":" + STORED + "},"
                + "{\"Code\":\"ConditionalCheckFailed\",\"Item\":" + STORED.replace("\"eu\"", "\"us\"") + "}]}";
        String shown = text(FailureItems.filter(canceled.getBytes(StandardCharsets.UTF_8), i -> i == 0 ? null : d.view()));
        assertEquals("{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\",\"Message\":\"m\","
                + "\"CancellationReasons\":[{\"Code\":\"None\"},{\"Code\":\"ConditionalCheckFailed\",\"Item\":{\"id\":{\"S\":\"1\"},"
                + "\"region\":{\"S\":\"eu\"},\"salary\":{\"N\":\"120000\"},\"notes\":{\"S\":\"n\"}}},{\"Code\":\"ConditionalCheckFailed\"}]}", shown);
        byte[] none = "{\"__type\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertSame(none, FailureItems.filter(none, i -> d.view()));
    }

    /**
     * A member name written with an escape is the same name to the client's JSON reader: an
     * {@code Attributes} or {@code Item} spelled with a JSON escape (a backslash, u0041, then ttributes; likewise for Item) is
     * filtered as the plain one is (a quick look for the plain bytes once let such an answer
     * through as the store gave it).
     */
    @Test
    void membersNamedWithEscapesAreFilteredAsThePlainOnes() throws Exception {
        var d = decided("w", "DeleteItem", KEY + "\"ReturnValues\":\"ALL_OLD\"}");
        var shown = ReturnedValues.filter(("{\"\\u0041ttributes\":" + STORED + "}").getBytes(StandardCharsets.UTF_8), d.part(), d.view());
        assertEquals("{\"Attributes\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"salary\":{\"N\":\"120000\"},\"notes\":{\"S\":\"n\"}}}",
                text(shown.body()));
        shown = ReturnedValues.filter(("{\"Attr\\u0069butes\":" + STORED.replace("\"eu\"", "\"us\"") + "}").getBytes(StandardCharsets.UTF_8),
                d.part(), d.view());
        assertEquals("{}", text(shown.body()), "a hidden row withheld whole");
        String type = "\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"m\"";
        String failed = text(FailureItems.filter(("{" + type + ",\"\\u0049tem\":" + STORED + "}").getBytes(StandardCharsets.UTF_8),
                i -> d.view()));
        assertEquals("{" + type + ",\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"salary\":{\"N\":\"120000\"},"
                + "\"notes\":{\"S\":\"n\"}}}", failed);
        assertEquals(false, failed.contains("CANARY"));
    }

    private static Decisions.Decided decided(String role, String op, String json) {
        return Decisions.decide(POLICY, role, Map.of("region", List.of("eu")), op, json).getFirst();
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
