package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue.N;
import dev.weir.protocol.model.AttributeValue.S;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.RequestParser;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.schema.TableSchema;
import dev.weir.proxy.schema.TableSchema.Index;
import dev.weir.proxy.schema.TableSchema.Kind;
import dev.weir.proxy.schema.TableSchema.ProjectionType;
import dev.weir.proxy.upstream.UpstreamAccount;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's Query or Scan as weir pages it, and what weir checks because the store no longer sees it. */
class ClientReadTest {
    static final TableSchema SCHEMA = new TableSchema("t", "pk", "sk", List.of(
            new Index("byN", Kind.LOCAL, "pk", "n", ProjectionType.KEYS_ONLY, List.of()),
            new Index("byTag", Kind.GLOBAL, "tag", null, ProjectionType.ALL, List.of()),
            new Index("byTagZone", Kind.GLOBAL, List.of("tag", "zoneId"), List.of("n", "rank"), ProjectionType.ALL, List.of())));
    private static final RequestParser PARSER = new RequestParser(UpstreamAccount.DEFAULT);

    static ClientRead read(String op, String json) {
        ParsedRequest r = PARSER.parse("p", "DynamoDB_20120810." + op, json.getBytes(StandardCharsets.UTF_8));
        return ClientRead.of(r.operation(), r.body(), r.single().expressions(), SCHEMA);
    }

    /** The message of the error the caller gets: refused by the request parser, or by ClientRead itself. */
    private static String refused(String op, String json) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> read(op, json));
        if (e instanceof Refusal r) {
            return r.error().message();
        }
        return assertInstanceOf(DynamoException.class, e).error().message();
    }

    @Test
    void theMembersWeirHandlesAndThoseItPasses() {
        ClientRead q = read("Query", """
                {"TableName":"t","IndexName":"byN","KeyConditionExpression":"pk = :p AND n > :n","FilterExpression":"tag = :t",
                 "ProjectionExpression":"pk, #nm","ExpressionAttributeNames":{"#nm":"name"},"Limit":3,"ScanIndexForward":false,
                 "ConsistentRead":true,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"1"},"n":{"N":"2"}},
                 "ExpressionAttributeValues":{":p":{"S":"a"},":n":{"N":"0"},":t":{"S":"x"}}}""");
        assertEquals("byN", q.index());
        assertEquals(3, q.limit());
        assertEquals(Select.SPECIFIC_ATTRIBUTES, q.select());
        assertEquals(Map.of("pk", new S("a"), "sk", new N("1"), "n", new N("2")), q.exclusiveStartKey());
        assertTrue(q.filter().test(Map.of("tag", new S("x"))));
        assertEquals(2, q.projection().paths().size());
        assertEquals("{\"ScanIndexForward\":false,\"ConsistentRead\":true}", q.passed().toString());
        ClientRead scan = read("Scan", "{\"TableName\":\"t\",\"Segment\":1,\"TotalSegments\":4,\"Select\":\"COUNT\"}");
        assertEquals(Select.COUNT, scan.select());
        assertNull(scan.limit());
        assertNull(scan.keyCondition());
        assertEquals("{\"Segment\":1,\"TotalSegments\":4}", scan.passed().toString());
    }

    @Test
    void legacyParametersAreTranslated() {
        ClientRead q = read("Query", """
                {"TableName":"t","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}},
                 "QueryFilter":{"tag":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"x"}]}},"AttributesToGet":["tag"]}""");
        assertTrue(q.keyCondition().test(Map.of("pk", new S("a"))));
        assertFalse(q.keyCondition().test(Map.of("pk", new S("b"))));
        assertTrue(q.filter().test(Map.of("tag", new S("x"))));
        assertEquals(Map.of("tag", new S("x")), q.projection().apply(Map.of("tag", new S("x"), "pk", new S("a"))));
        assertEquals(Select.SPECIFIC_ATTRIBUTES, q.select());
    }

    @Test
    void whatTheStoreNoLongerSeesIsCheckedAsDynamoDbChecksIt() {
        assertEquals("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 1", refused("Scan", "{\"TableName\":\"t\",\"Limit\":0}"));
        assertEquals("STRING_VALUE cannot be converted to Integer", refused("Scan", "{\"TableName\":\"t\",\"Limit\":\"2\"}"));
        assertEquals("Cannot specify the ProjectionExpression when choosing to get only the Count",
                refused("Scan", "{\"TableName\":\"t\",\"Select\":\"COUNT\",\"ProjectionExpression\":\"pk\"}"));
        assertEquals("1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get "
                + "SPECIFIC_ATTRIBUTES", refused("Query", "{\"TableName\":\"t\",\"Select\":\"SPECIFIC_ATTRIBUTES\","
                + "\"KeyConditionExpression\":\"pk = :p\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"a\"}}}"));
        assertEquals("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
                refused("Scan", "{\"TableName\":\"t\",\"Select\":\"ALL_PROJECTED_ATTRIBUTES\"}"));
        assertTrue(refused("Scan", "{\"TableName\":\"t\",\"Select\":\"SOME\"}").contains("Member must satisfy enum value set"));
        assertEquals("Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}",
                refused("Scan", "{\"TableName\":\"t\",\"FilterExpression\":\"tag = :t\","
                        + "\"ExpressionAttributeValues\":{\":t\":{\"S\":\"x\"},\":u\":{\"S\":\"y\"}}}"));
        assertEquals("Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}",
                refused("Scan", "{\"TableName\":\"t\",\"ProjectionExpression\":\"pk\",\"ExpressionAttributeNames\":{\"#u\":\"x\"}}"));
        assertEquals("ExpressionAttributeNames can only be specified when using expressions",
                refused("Scan", "{\"TableName\":\"t\",\"ExpressionAttributeNames\":{\"#u\":\"x\"}}"));
        assertEquals("ExpressionAttributeValues must not be empty",
                refused("Scan", "{\"TableName\":\"t\",\"FilterExpression\":\"attribute_exists(tag)\",\"ExpressionAttributeValues\":{}}"));
        assertEquals("The table does not have the specified index: nope", refused("Scan", "{\"TableName\":\"t\",\"IndexName\":\"nope\"}"));
        assertEquals("Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
                refused("Query", "{\"TableName\":\"t\",\"KeyConditionExpression\":\"pk = :p\",\"FilterExpression\":\"sk > :p\","
                        + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"a\"}}}"));
        assertEquals("QueryFilter can only contain non-primary key attributes: Primary key attribute: tag",
                refused("Query", "{\"TableName\":\"t\",\"IndexName\":\"byTag\",\"KeyConditions\":{\"tag\":{\"ComparisonOperator\":\"EQ\","
                        + "\"AttributeValueList\":[{\"S\":\"a\"}]}},\"QueryFilter\":{\"tag\":{\"ComparisonOperator\":\"NOT_NULL\"}}}"));
        // A Scan's filter may read the keys; so may a Query's, on an index, the table's keys.
        read("Scan", "{\"TableName\":\"t\",\"FilterExpression\":\"sk > :p\",\"ExpressionAttributeValues\":{\":p\":{\"N\":\"1\"}}}");
        read("Query", "{\"TableName\":\"t\",\"IndexName\":\"byTag\",\"KeyConditionExpression\":\"tag = :t\",\"FilterExpression\":\"sk > :p\","
                + "\"ExpressionAttributeValues\":{\":t\":{\"S\":\"a\"},\":p\":{\"N\":\"1\"}}}");
    }

    @Test
    void onlyQueryAndScanArePaged() {
        ObjectNode body = new ObjectMapper().createObjectNode().put("TableName", "t");
        ParsedRequest get = PARSER.parse("p", "DynamoDB_20120810.GetItem", "{\"TableName\":\"t\",\"Key\":{}}".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> ClientRead.of(Operation.GetItem, body, get.single().expressions(), SCHEMA));
    }

    @Test
    void aQueryOfAMultiAttributeIndexFiltersNoneOfItsKeyAttributes() {
        String query = """
                {"TableName":"t","IndexName":"byTagZone","KeyConditionExpression":"tag = :t AND zoneId = :z",
                 "FilterExpression":"#k = :v","ExpressionAttributeNames":{"#k":"%s"},"ExpressionAttributeValues":{":t":{"S":"a"},":z":{"S":"b"},":v":{"N":"1"}}}""";
        for (String key : List.of("tag", "zoneId", "n", "rank")) {
            assertEquals("Filter Expression can only contain non-primary key attributes: Primary key attribute: " + key,
                    refused("Query", query.formatted(key)));
        }
        assertEquals("byTagZone", read("Query", query.formatted("other")).index());
    }
}
