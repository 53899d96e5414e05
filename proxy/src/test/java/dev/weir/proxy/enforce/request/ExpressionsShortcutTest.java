package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request of members that are no expression takes a shortcut to {@link Expressions#NONE}; it
 * must be what the whole parse gives, and every other request must take the whole parse: the
 * same expressions, or the same refusal, for bodies of the item operations' members, the
 * expression and legacy members among them (with values, empty, null, of the wrong type).
 */
class ExpressionsShortcutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PLAIN = {"TableName", "Key", "Item", "ConsistentRead", "ReturnConsumedCapacity", "ReturnValues",
            "Limit", "ExclusiveStartKey", "IndexName", "Select", "Segment", "TotalSegments", "ScanIndexForward"};
    private static final String[][] OTHER = {
            {"ProjectionExpression", "\"#a, b\""}, {"ProjectionExpression", "null"}, {"ProjectionExpression", "7"},
            {"ConditionExpression", "\"attribute_exists(a)\""}, {"ConditionExpression", "null"},
            {"FilterExpression", "\"b = :v\""}, {"KeyConditionExpression", "\"id = :v\""}, {"UpdateExpression", "\"SET b = :v\""},
            {"ExpressionAttributeNames", "{\"#a\":\"a\"}"}, {"ExpressionAttributeNames", "{}"}, {"ExpressionAttributeNames", "null"},
            {"ExpressionAttributeValues", "{\":v\":{\"S\":\"x\"}}"}, {"ExpressionAttributeValues", "{}"},
            {"AttributesToGet", "[\"a\"]"}, {"AttributesToGet", "null"}, {"Expected", "{\"a\":{\"Exists\":false}}"},
            {"AttributeUpdates", "{\"b\":{\"Action\":\"DELETE\"}}"}, {"KeyConditions", "null"}, {"QueryFilter", "{}"},
            {"ScanFilter", "{}"}, {"ConditionalOperator", "\"AND\""}, {"Unknown", "1"},
    };
    private static final Operation[] OPS = {Operation.GetItem, Operation.PutItem, Operation.UpdateItem, Operation.DeleteItem,
            Operation.Query, Operation.Scan};

    @Test
    void theShortcutGivesWhatTheWholeParseGives() throws Exception {
        Random random = new Random(4242);
        int shortcuts = 0, whole = 0;
        for (int n = 0; n < 20_000; n++) {
            ObjectNode body = JSON.createObjectNode();
            for (int k = random.nextInt(4); k > 0; k--) {
                String m = PLAIN[random.nextInt(PLAIN.length)];
                body.set(m, m.equals("Key") || m.equals("Item") || m.equals("ExclusiveStartKey")
                        ? JSON.readTree("{\"id\":{\"S\":\"p-1\"}}") : JSON.readTree(random.nextBoolean() ? "\"x\"" : "1"));
            }
            if (random.nextInt(3) > 0) {
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    String[] o = OTHER[random.nextInt(OTHER.length)];
                    body.set(o[0], JSON.readTree(o[1]));
                }
            }
            Operation op = OPS[random.nextInt(OPS.length)];
            Object expected = outcome(() -> Expressions.parsed(op, body));
            Object actual = outcome(() -> Expressions.parse(op, body));
            assertEquals(expected, actual, () -> op + " " + body);
            boolean onlyPlain = true;
            for (var it = body.fieldNames(); it.hasNext(); ) onlyPlain &= java.util.Arrays.asList(PLAIN).contains(it.next());
            if (onlyPlain) {
                assertSame(Expressions.NONE, Expressions.parse(op, body), () -> op + " " + body);
                assertEquals(Expressions.NONE, Expressions.parsed(op, body), () -> op + " " + body);
                shortcuts++;
            } else {
                whole++;
            }
        }
        assertTrue(shortcuts > 3_000 && whole > 3_000, shortcuts + " shortcuts, " + whole + " whole parses");
    }

    private static Object outcome(java.util.function.Supplier<Expressions> parse) {
        try {
            // the parsed trees have no equals of their own: compared as text, objects' identities left out
            return parse.get().toString().replaceAll("@[0-9a-f]+", "@");
        } catch (DynamoException e) {
            return "refused: " + e.error();
        } catch (RuntimeException e) {
            return "failed: " + e;
        }
    }
}
