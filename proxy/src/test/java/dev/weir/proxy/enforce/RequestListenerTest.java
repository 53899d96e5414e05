package dev.weir.proxy.enforce;

import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.succeeded.SucceededRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The firewall tells its request listener of permitted requests it forwarded, with their keys per table, whatever the answer, and of nothing else. */
class RequestListenerTest {
    private static final String POLICY = """
            role admin
            role analyst
            @id("all") allow admin on table * op *
            @id("read") allow analyst on table images op read
            """;

    private final AtomicInteger status = new AtomicInteger(200);
    private FirewallHarness weir;

    @AfterEach
    void close() {
        if (weir != null) weir.close();
    }

    @Test
    void aPermittedDeleteIsHeardWithItsKeyWhateverTheStoreAnswered() throws IOException {
        weir = new FirewallHarness(POLICY, (target, body) -> Map.entry(status.get(), status.get() == 200 ? "{}"
                : "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"no\"}"), Map.of());
        var ok = weir.call("admin", "DeleteItem", "{\"TableName\":\"images\",\"Key\":{\"id\":{\"S\":\"p-1\"}}}");
        assertEquals(200, ok.status());
        assertEquals(1, weir.succeeded.size());
        SucceededRequest heard = weir.succeeded.getFirst();
        assertEquals(Operation.DeleteItem, heard.operation());
        assertEquals("admin", heard.principal());
        assertEquals(List.of("admin"), heard.roles());
        assertEquals("[images [{\"id\":{\"S\":\"p-1\"}}] 0]", show(heard));
        assertEquals(ok.event().requestId(), heard.requestId(), "the audit record and the trigger share the request id");

        status.set(400);
        var failed = weir.call("admin", "DeleteItem", "{\"TableName\":\"images\",\"Key\":{\"id\":{\"S\":\"p-2\"}}}");
        assertEquals(400, failed.status());
        assertEquals(2, weir.succeeded.size(), "a failed condition is heard too: whether it held may depend on values "
                + "the trigger's role cannot read, so the event is the request, not its success");
        assertEquals("[images [{\"id\":{\"S\":\"p-2\"}}] 0]", show(weir.succeeded.get(1)));
    }

    @Test
    void aRequestNamingNoTableTheListenerHearsOfIsNotWorkedOut() throws IOException {
        weir = new FirewallHarness(POLICY, RequestListenerTest::store, Map.of());
        weir.hears = (op, table) -> op == Operation.BatchWriteItem && table.equals("videos");
        assertEquals(200, weir.call("admin", "DeleteItem", "{\"TableName\":\"videos\",\"Key\":{\"vid\":{\"S\":\"v\"},"
                + "\"ts\":{\"N\":\"1\"}}}").status());
        assertEquals(200, weir.call("admin", "BatchWriteItem", """
                {"RequestItems":{"images":[{"DeleteRequest":{"Key":{"id":{"S":"p-1"}}}}]}}""").status());
        assertEquals(0, weir.succeeded.size(), "neither request names a table and operation the listener hears of");
        assertEquals(200, weir.call("admin", "BatchWriteItem", """
                {"RequestItems":{"images":[{"DeleteRequest":{"Key":{"id":{"S":"p-1"}}}}],
                 "videos":[{"DeleteRequest":{"Key":{"vid":{"S":"v"},"ts":{"N":"1"}}}}]}}""").status());
        assertEquals(1, weir.succeeded.size(), "one table it hears of is enough: the request is told whole");
        assertEquals("[images [{\"id\":{\"S\":\"p-1\"}}] 0, videos [{\"vid\":{\"S\":\"v\"},\"ts\":{\"N\":\"1\"}}] 0]",
                show(weir.succeeded.getFirst()));
    }

    /** Each table heard, with its keys and how many put items went unnamed. */
    private static String show(SucceededRequest r) {
        return r.tables().stream().map(t -> t.table() + " " + t.keys() + " " + t.unnamed()).toList().toString();
    }

    /** The stub store: each table's key schema (images: id; videos: vid, ts; any other table does not exist), 200 for the rest. */
    private static Map.Entry<Integer, String> store(String target, String body) {
        if (target.endsWith("DescribeTable")) {
            if (body.contains("\"images\"")) {
                return Map.entry(200, "{\"Table\":{\"TableName\":\"images\",\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]}}");
            }
            if (body.contains("\"videos\"")) {
                return Map.entry(200, "{\"Table\":{\"TableName\":\"videos\",\"KeySchema\":[{\"AttributeName\":\"vid\",\"KeyType\":\"HASH\"},"
                        + "{\"AttributeName\":\"ts\",\"KeyType\":\"RANGE\"}]}}");
            }
            return Map.entry(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\",\"message\":\"no table\"}");
        }
        return Map.entry(200, "{}");
    }

    @Test
    void putsBatchesAndTransactionsAreHeardWithTheirKeysPerTable() throws IOException {
        weir = new FirewallHarness(POLICY, RequestListenerTest::store, Map.of());
        assertEquals(200, weir.call("admin", "PutItem", """
                {"TableName":"images","Item":{"id":{"S":"p-1"},"secret":{"S":"s"}}}""").status());
        assertEquals("[images [{\"id\":{\"S\":\"p-1\"}}] 0]", show(weir.succeeded.getLast()),
                "a put's key is its item's key attributes, by the table's key schema, and nothing else of the item");

        assertEquals(200, weir.call("admin", "BatchWriteItem", """
                {"RequestItems":{
                  "images":[{"PutRequest":{"Item":{"id":{"S":"p-2"},"secret":{"S":"s"}}}},{"DeleteRequest":{"Key":{"id":{"S":"p-3"}}}}],
                  "videos":[{"PutRequest":{"Item":{"ts":{"N":"7"},"vid":{"S":"v-1"},"title":{"S":"t"}}}}]}}""").status());
        assertEquals(Operation.BatchWriteItem, weir.succeeded.getLast().operation());
        assertEquals("[images [{\"id\":{\"S\":\"p-2\"}}, {\"id\":{\"S\":\"p-3\"}}] 0, videos [{\"vid\":{\"S\":\"v-1\"},\"ts\":{\"N\":\"7\"}}] 0]",
                show(weir.succeeded.getLast()), "one entry per table, with every put and delete key in request order");

        assertEquals(200, weir.call("admin", "TransactWriteItems", """
                {"TransactItems":[
                  {"ConditionCheck":{"TableName":"videos","Key":{"vid":{"S":"v-1"},"ts":{"N":"7"}},"ConditionExpression":"attribute_exists(vid)"}},
                  {"Update":{"TableName":"images","Key":{"id":{"S":"p-4"}},"UpdateExpression":"SET n = :n","ExpressionAttributeValues":{":n":{"N":"1"}}}},
                  {"ConditionCheck":{"TableName":"images","Key":{"id":{"S":"p-9"}},"ConditionExpression":"attribute_exists(id)"}},
                  {"Put":{"TableName":"images","Item":{"id":{"S":"p-5"}}}},
                  {"Delete":{"TableName":"images","Key":{"id":{"S":"p-6"}}}}]}""").status());
        assertEquals("[images [{\"id\":{\"S\":\"p-4\"}}, {\"id\":{\"S\":\"p-5\"}}, {\"id\":{\"S\":\"p-6\"}}] 0]",
                show(weir.succeeded.getLast()), "ConditionChecks change nothing: their keys are not heard, nor a table named only by them");

        assertEquals(200, weir.call("admin", "BatchGetItem", """
                {"RequestItems":{"images":{"Keys":[{"id":{"S":"p-7"}},{"id":{"S":"p-8"}}]}}}""").status());
        assertEquals("[images [{\"id\":{\"S\":\"p-7\"}}, {\"id\":{\"S\":\"p-8\"}}] 0]", show(weir.succeeded.getLast()));

        weir.call("admin", "PutItem", """
                {"TableName":"nowhere","Item":{"id":{"S":"x"}}}""");
        assertEquals("[nowhere [] 1]", show(weir.succeeded.getLast()),
                "without the table's key schema a put's key is not named, and the listener is told so");
    }

    @Test
    void aRefusedRequestIsNotHeard() throws IOException {
        weir = new FirewallHarness(POLICY, (target, body) -> Map.entry(200, "{}"), Map.of());
        var refused = weir.call("analyst", "DeleteItem", "{\"TableName\":\"images\",\"Key\":{\"id\":{\"S\":\"p-1\"}}}");
        assertEquals(400, refused.status());
        assertTrue(weir.forwarded.isEmpty());
        assertTrue(weir.succeeded.isEmpty(), "a refused request is not heard");
        var batch = weir.call("analyst", "BatchWriteItem", """
                {"RequestItems":{"images":[{"DeleteRequest":{"Key":{"id":{"S":"p-1"}}}}]}}""");
        assertEquals(400, batch.status());
        assertTrue(weir.forwarded.isEmpty());
        assertTrue(weir.succeeded.isEmpty(), "nor a refused batch");
    }
}
