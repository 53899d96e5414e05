package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Verdict;
import dev.weir.proxy.upstream.UpstreamAccount;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestParserTest {
    private static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/";
    private final RequestParser parser = new RequestParser(UpstreamAccount.DEFAULT);

    private ParsedRequest parse(String op, String json) {
        return parser.parse("ada", "DynamoDB_20120810." + op, json.getBytes(StandardCharsets.UTF_8));
    }

    private Refusal refused(String op, String json) {
        return assertThrows(Refusal.class, () -> parse(op, json));
    }

    @Test
    void readsTheOperationTableAndExpressions() throws Exception {
        ParsedRequest r = parse("Query", "{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :id\","
                + "\"FilterExpression\":\"#r = :r\",\"ProjectionExpression\":\"id, #r\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":id\":{\"S\":\"1\"},\":r\":{\"S\":\"eu\"}},\"IndexName\":\"by-region\"}");
        assertEquals(Operation.Query, r.operation());
        assertEquals("people", r.table());
        assertEquals(List.of("people"), r.tables());
        assertEquals("by-region", r.indexName());
        Expressions e = r.single().expressions();
        assertEquals("[id]", e.keyCondition().paths().toString());
        assertEquals("[region]", e.filter().paths().toString(), "names resolved");
        assertEquals("[id, region]", e.projection().paths().toString());
        assertNull(e.condition());
        assertNull(e.update());
        assertEquals(new ObjectMapper().readTree("{\"TableName\":\"people\",\"KeyConditionExpression\":\"id = :id\","
                + "\"FilterExpression\":\"#r = :r\",\"ProjectionExpression\":\"id, #r\",\"ExpressionAttributeNames\":{\"#r\":\"region\"},"
                + "\"ExpressionAttributeValues\":{\":id\":{\"S\":\"1\"},\":r\":{\"S\":\"eu\"}},\"IndexName\":\"by-region\"}"), r.body());
        ParsedRequest list = parse("ListTables", "");
        assertNull(list.table());
        assertEquals("*", list.policyTable());
        assertEquals(List.of(), list.tables());
    }

    @Test
    void everyPartOfABatchOrTransactionIsParsedAsItsSingleTwin() {
        ParsedRequest tx = parse("TransactWriteItems", "{\"TransactItems\":["
                + "{\"Update\":{\"TableName\":\"a\",\"Key\":{\"id\":{\"S\":\"1\"}},\"UpdateExpression\":\"SET x = y\"}},"
                + "{\"ConditionCheck\":{\"TableName\":\"b\",\"Key\":{\"id\":{\"S\":\"2\"}},\"ConditionExpression\":\"attribute_exists(z)\"}}]}");
        assertEquals(2, tx.parts().size());
        assertEquals(Operation.UpdateItem, tx.parts().get(0).acts());
        assertEquals("[y]", tx.parts().get(0).expressions().update().readPaths().toString());
        assertEquals(Operation.GetItem, tx.parts().get(1).acts());
        assertEquals("[z]", tx.parts().get(1).expressions().condition().paths().toString());
        assertEquals(List.of("a", "b"), tx.tables());
        ParsedRequest batch = parse("BatchWriteItem", "{\"RequestItems\":{\"a\":[{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"1\"}}}},"
                + "{\"DeleteRequest\":{\"Key\":{\"id\":{\"S\":\"2\"}}}}]}}");
        assertEquals(List.of(Operation.PutItem, Operation.DeleteItem), batch.parts().stream().map(Part::acts).toList());
        assertEquals(List.of("id"), batch.parts().get(1).keyAttributes());
    }

    @Test
    void malformedRequestsAreInvalid() {
        Refusal target = assertThrows(Refusal.class, () -> parser.parse("ada", "DynamoDB_20120810.Nope", new byte[0]));
        assertEquals(Verdict.Kind.INVALID, target.kind());
        assertEquals("UnknownOperationException", target.error().shortType());
        assertEquals("UnknownOperationException", assertThrows(Refusal.class, () -> parser.parse("ada", null, new byte[0])).error().shortType());
        assertEquals("SerializationException", refused("GetItem", "{nope").error().shortType());
        assertEquals("SerializationException", refused("GetItem", "[1]").error().shortType());
        Refusal expression = refused("Scan", "{\"TableName\":\"t\",\"FilterExpression\":\"a = \"}");
        assertEquals(Verdict.Kind.INVALID, expression.kind());
        assertEquals("ValidationException", expression.error().shortType());
        Refusal allNew = refused("PutItem", "{\"TableName\":\"people\",\"Item\":{},\"ReturnValues\":\"ALL_NEW\"}");
        assertEquals(Verdict.Kind.INVALID, allNew.kind());
        assertEquals(Verdict.Kind.INVALID, refused("TransactWriteItems", "{\"TransactItems\":{}}").kind());
    }

    /** An unchanged body is forwarded as its bytes, so what other parsers could read differently is refused. */
    @Test
    void aBodyWithTwoMeaningsIsASerializationError() {
        Refusal twice = refused("GetItem", "{\"TableName\":\"secret\",\"TableName\":\"public\",\"Key\":{}}");
        assertEquals(Verdict.Kind.INVALID, twice.kind());
        assertEquals("SerializationException", twice.error().shortType());
        assertEquals("The request body names a member more than once.", twice.error().message());
        assertEquals("SerializationException", refused("GetItem",
                "{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"},\"id\":{\"S\":\"2\"}}}").error().shortType());
        assertEquals("SerializationException", refused("BatchGetItem", "{\"RequestItems\":{\"public\":{\"Keys\":[{\"id\":"
                + "{\"S\":\"1\"}}]},\"public\":{\"Keys\":[{\"id\":{\"S\":\"2\"}}]}}}").error().shortType());
        Refusal trailing = refused("GetItem", "{\"TableName\":\"public\"}{\"TableName\":\"secret\"}");
        assertEquals(Verdict.Kind.INVALID, trailing.kind());
        assertEquals("SerializationException", trailing.error().shortType());
        assertEquals("The request body has content after its JSON object.", trailing.error().message());
        assertEquals("SerializationException", refused("GetItem", "{\"TableName\":\"t\"} x").error().shortType());
        assertEquals("t", parse("GetItem", " {\"TableName\":\"t\"}\r\n ").table(), "white space around the object is one meaning");
    }

    /** A TransactItems entry that is a list (or any non-structure) is a malformed request, not a crash. */
    @Test
    void aTransactItemThatIsNotAStructureIsInvalid() {
        for (String item : List.of("[{\"Get\":{\"TableName\":\"t\",\"Key\":{}}}]", "[1]", "\"Get\"", "1", "null")) {
            Refusal r = refused("TransactGetItems", "{\"TransactItems\":[" + item + "]}");
            assertEquals(Verdict.Kind.INVALID, r.kind(), item);
            assertEquals("ValidationException", r.error().shortType(), item);
            assertEquals("each TransactItem needs exactly one action", r.error().message(), item);
        }
        assertEquals(Verdict.Kind.INVALID, refused("TransactWriteItems", "{\"TransactItems\":[[{\"Put\":{\"TableName\":\"t\","
                + "\"Item\":{}}}]]}").kind());
    }

    @Test
    void whatTheProxyCannotEnforceIsRefusedNotForwarded() {
        Refusal bogus = refused("GetItem", "{\"TableName\":\"people\",\"Key\":{},\"Bogus\":[\"ssn\"]}");
        assertEquals(Verdict.Kind.UNENFORCEABLE, bogus.kind());
        assertEquals("ValidationException", bogus.error().shortType());
        assertEquals("weir does not support the parameter 'Bogus' of GetItem, so the request was "
                + "refused rather than forwarded unchecked", bogus.error().message());
        Refusal endpoints = refused("DescribeEndpoints", "{}");
        assertEquals(Verdict.Kind.UNENFORCEABLE, endpoints.kind());
        assertEquals("ValidationException", endpoints.error().shortType());
        assertEquals(Verdict.Kind.UNENFORCEABLE, refused("DescribeLimits", "{\"Bogus\":1}").kind());
        assertEquals(Verdict.Kind.UNENFORCEABLE, refused("TransactGetItems",
                "{\"TransactItems\":[{\"Get\":{\"TableName\":\"t\",\"Key\":{},\"Limit\":1}}]}").kind());
    }

    @Test
    void describeLimitsNamesNoTable() {
        ParsedRequest limits = parse("DescribeLimits", "{}");
        assertEquals(Operation.DescribeLimits, limits.operation());
        assertNull(limits.table(), "decided by the rules on table *, like ListTables");
        for (String named : new String[] {"{\"TableName\":\"t\"}", "{\"TableNames\":[\"t\"]}", "{\"RequestItems\":{\"t\":{}}}"}) {
            assertEquals(Verdict.Kind.UNENFORCEABLE, refused("DescribeLimits", named).kind(),
                    "a table named in DescribeLimits never brings it under that table's rules: " + named);
        }
    }

    @Test
    void aTableArnOfTheUpstreamsAccountBecomesTheTablesName() {
        ParsedRequest get = parse("GetItem", "{\"TableName\":\"" + ARN + "people\",\"Key\":{\"id\":{\"S\":\"1\"}}}");
        assertEquals("people", get.table());
        assertEquals(Map.of("people", ARN + "people"), get.namesAsSent());
        assertEquals(ARN + "people", get.body().get("TableName").textValue(), "the client's body as sent");
        assertEquals(Map.of(), parse("GetItem", "{\"TableName\":\"people\",\"Key\":{}}").namesAsSent());

        ParsedRequest batch = parse("BatchGetItem", "{\"RequestItems\":{\"" + ARN + "people\":{\"Keys\":[{\"id\":{\"S\":\"1\"}}]},"
                + "\"other\":{\"Keys\":[{\"id\":{\"S\":\"2\"}}]}}}");
        assertEquals(List.of("people", "other"), batch.tables());
        assertEquals(Map.of("people", ARN + "people"), batch.namesAsSent());

        ParsedRequest write = parse("BatchWriteItem", "{\"RequestItems\":{\"" + ARN + "people\":[{\"DeleteRequest\":{\"Key\":{\"id\":{\"S\":\"1\"}}}}]}}");
        assertEquals(List.of("people"), write.tables());

        ParsedRequest tx = parse("TransactWriteItems", "{\"TransactItems\":[{\"Put\":{\"TableName\":\"" + ARN + "people\","
                + "\"Item\":{\"id\":{\"S\":\"1\"}}}},{\"Put\":{\"TableName\":\"people\",\"Item\":{\"id\":{\"S\":\"2\"}}}}]}");
        assertEquals(List.of("people", "people"), tx.parts().stream().map(Part::table).toList());
        assertEquals(List.of("people"), tx.tables());

        ParsedRequest tag = parse("TagResource", "{\"ResourceArn\":\"" + ARN + "people\",\"Tags\":[]}");
        assertEquals("people", tag.table());
        assertEquals(Map.of(), tag.namesAsSent(), "a tag operation's ARN is forwarded as it is");
        assertEquals("people", parse("GetItem", "{\"TableName\":\"arn:aws-cn:dynamodb:us-east-1:000000000000:table/people\","
                + "\"Key\":{}}").table(), "the region and account decide, whatever the partition");
    }

    @Test
    void anArnOfAnotherAccountOrRegionIsForbidden() {
        Refusal account = refused("GetItem", "{\"TableName\":\"arn:aws:dynamodb:us-east-1:111122223333:table/people\",\"Key\":{}}");
        assertEquals(Verdict.Kind.FORBIDDEN, account.kind());
        assertEquals("AccessDeniedException", account.error().shortType());
        assertEquals("User: ada is not authorized to perform: dynamodb:GetItem on resource: table/people because the ARN names "
                + "a table of account 111122223333 in region us-east-1, and weir guards the tables of account 000000000000 in "
                + "region us-east-1", account.error().message());
        Refusal region = refused("Scan", "{\"TableName\":\"arn:aws:dynamodb:eu-west-1:000000000000:table/people\"}");
        assertEquals(Verdict.Kind.FORBIDDEN, region.kind());
        assertTrue(region.error().message().contains("region eu-west-1"), region.error().message());
        assertEquals(Verdict.Kind.FORBIDDEN, refused("BatchGetItem", "{\"RequestItems\":{\"arn:aws:dynamodb:us-east-1:111122223333:"
                + "table/people\":{\"Keys\":[{\"id\":{\"S\":\"1\"}}]}}}").kind());
        assertEquals(Verdict.Kind.FORBIDDEN, refused("TransactGetItems", "{\"TransactItems\":[{\"Get\":{\"TableName\":"
                + "\"arn:aws:dynamodb:us-east-1:111122223333:table/people\",\"Key\":{}}}]}").kind());
        assertEquals(Verdict.Kind.FORBIDDEN, refused("UntagResource", "{\"ResourceArn\":\"arn:aws:dynamodb:us-east-1:111122223333:"
                + "table/people\",\"TagKeys\":[]}").kind());
        RequestParser elsewhere = new RequestParser(new UpstreamAccount("eu-west-1", "111122223333"));
        assertEquals("people", elsewhere.parse("ada", "DynamoDB_20120810.GetItem",
                "{\"TableName\":\"arn:aws:dynamodb:eu-west-1:111122223333:table/people\",\"Key\":{}}".getBytes(StandardCharsets.UTF_8)).table());
    }

    @Test
    void anythingElseThatClaimsToBeAnArnIsInvalid() {
        for (String bad : List.of(ARN + "people/index/by-region", ARN + "people/stream/2026-01-01T00:00:00.000", ARN,
                "arn:aws:s3:us-east-1:000000000000:table/people", "arn:aws:dynamodb:us-east-1:0:table/people",
                "arn:aws:dynamodb:us-east-1:000000000000:index/people", "arn:", "arn:aws:dynamodb:us-east-1:000000000000:table/p!")) {
            Refusal r = refused("GetItem", "{\"TableName\":\"" + bad + "\",\"Key\":{}}");
            assertEquals(Verdict.Kind.INVALID, r.kind(), bad);
            assertEquals("ValidationException", r.error().shortType(), bad);
            assertTrue(r.error().message().contains("TableName"), r.error().message());
        }
        for (String bad : List.of(ARN + "people/stream/2026", "arn:aws:kms:us-east-1:0:key/people", "table/people", "people")) {
            assertEquals(Verdict.Kind.INVALID, refused("ListTagsOfResource", "{\"ResourceArn\":\"" + bad + "\"}").kind(), bad);
        }
        Refusal twice = refused("BatchGetItem", "{\"RequestItems\":{\"people\":{\"Keys\":[{\"id\":{\"S\":\"1\"}}]},"
                + "\"" + ARN + "people\":{\"Keys\":[{\"id\":{\"S\":\"2\"}}]}}}");
        assertEquals(Verdict.Kind.INVALID, twice.kind());
        assertTrue(twice.error().message().contains("people more than once"), twice.error().message());
    }

    @Test
    void tableArnsAreReadExactly() {
        assertEquals(new TableArn("aws", "us-east-1", "000000000000", "people"), TableArn.parse(ARN + "people"));
        assertEquals(new TableArn("aws-us-gov", "us-gov-west-1", "123456789012", "a.b-c_d"),
                TableArn.parse("arn:aws-us-gov:dynamodb:us-gov-west-1:123456789012:table/a.b-c_d"));
        assertNull(TableArn.parse(ARN + "ab"), "shorter than DynamoDB's 3 characters");
        assertNotNull(TableArn.parse(ARN + "a".repeat(255)));
        assertNull(TableArn.parse(ARN + "a".repeat(256)));
        assertNull(TableArn.parse("ARN:aws:dynamodb:us-east-1:000000000000:table/people"));
        assertNull(TableArn.parse("arn:aws:dynamodb:US-EAST-1:000000000000:table/people"));
    }

    /**
     * A batch or transaction over DynamoDB's counts is refused before a part is built, with
     * DynamoDB's message: 20,000 parts used to cost weir seconds of checks and decisions.
     */
    @Test
    void batchesAndTransactionsOverDynamoDbsCountsAreRefusedBeforeTheirParts() {
        assertEquals(25, parse("BatchWriteItem", writes("t", 25)).parts().size());
        Refusal r = refused("BatchWriteItem", writes("t", 26));
        assertEquals(Verdict.Kind.INVALID, r.kind());
        assertEquals("1 validation error detected: Value '26 elements' at 'requestItems.t.member' failed to satisfy constraint: "
                + "Member must have length less than or equal to 25", r.error().message());
        assertEquals("Too many items requested for the BatchWriteItem call", refused("BatchWriteItem",
                "{\"RequestItems\":{" + writes("t", 20).substring(17, writes("t", 20).length() - 2) + ","
                        + writes("u", 6).substring(17, writes("u", 6).length() - 2) + "}}").error().message());
        assertEquals(100, ((com.fasterxml.jackson.databind.JsonNode) parse("BatchGetItem", keys(100)).parts().getFirst().body()
                .get("Keys")).size());
        assertEquals("1 validation error detected: Value '101 elements' at 'requestItems.t.member.keys' failed to satisfy "
                + "constraint: Member must have length less than or equal to 100", refused("BatchGetItem", keys(101)).error().message());
        assertEquals(100, parse("TransactWriteItems", checks(100)).parts().size());
        assertEquals("1 validation error detected: Value '101 elements' at 'transactItems' failed to satisfy constraint: "
                + "Member must have length less than or equal to 100", refused("TransactWriteItems", checks(101)).error().message());
        String huge = writes("t", 20_000);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            refused("BatchWriteItem", huge);
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertTrue(best < 5_000_000_000L, "refusing 20,000 writes took " + best / 1_000_000 + " ms");
    }

    private static String writes(String table, int n) {
        StringBuilder b = new StringBuilder("{\"RequestItems\":{\"" + table + "\":[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("{\"DeleteRequest\":{\"Key\":{\"k\":{\"N\":\"").append(i).append("\"}}}}");
        return b.append("]}}").toString();
    }

    private static String keys(int n) {
        StringBuilder b = new StringBuilder("{\"RequestItems\":{\"t\":{\"Keys\":[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("{\"k\":{\"N\":\"").append(i).append("\"}}");
        return b.append("]}}}").toString();
    }

    private static String checks(int n) {
        StringBuilder b = new StringBuilder("{\"TransactItems\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"ConditionCheck\":{\"TableName\":\"t\",\"Key\":{\"k\":{\"N\":\"").append(i)
                    .append("\"}},\"ConditionExpression\":\"attribute_not_exists(k)\"}}");
        }
        return b.append("]}").toString();
    }
}
