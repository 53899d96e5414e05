package dev.weir.store.api.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request validator on its own: conversions in place, map-key constraints, the cap of ten, and coverage. */
class RequestValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) JSON.readTree(s);
    }

    private static String refusal(Operation op, String body) throws Exception {
        ObjectNode request = json(body);
        return assertThrows(DynamoException.class, () -> RequestValidator.validate(op, request)).error().message();
    }

    @Test
    void valuesDynamoDbConvertsAreConvertedInPlace() throws Exception {
        ObjectNode scan = json("{\"TableName\":\"abc\",\"Limit\":5.9,\"ConsistentRead\":\"TRUE\",\"Segment\":0.5,\"TotalSegments\":2}");
        RequestValidator.validate(Operation.Scan, scan);
        assertEquals("{\"TableName\":\"abc\",\"Limit\":5,\"ConsistentRead\":true,\"Segment\":0,\"TotalSegments\":2}", scan.toString());
        ObjectNode put = json("{\"TableName\":\"abc\",\"Item\":{\"a\":{\"L\":[{\"BOOL\":\"false\"}]}}}");
        RequestValidator.validate(Operation.PutItem, put);
        assertEquals("{\"TableName\":\"abc\",\"Item\":{\"a\":{\"L\":[{\"BOOL\":false}]}}}", put.toString());
    }

    @Test
    void batchTableNamesAreCheckedAsMapKeys() throws Exception {
        assertEquals("2 validation errors detected: Value '{a;=[]}' at 'requestItems' failed to satisfy constraint: "
                        + "Map keys must satisfy constraint: [Member must have length less than or equal to 255, "
                        + "Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: "
                        + "[a-zA-Z0-9_.-]+]; Value '[]' at 'requestItems.a;.member' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1",
                refusal(Operation.BatchWriteItem, "{\"RequestItems\":{\"a;\":[]}}"));
    }

    @Test
    void atMostTenViolationsAreReported() throws Exception {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 30; i++) items.append(i == 0 ? "" : ",").append("{\"Get\":{}}");
        String message = refusal(Operation.TransactGetItems, "{\"TransactItems\":[" + items + "]}");
        assertTrue(message.startsWith("10 validation errors detected: "), message);
        assertEquals(10, message.split("; ").length);
        assertTrue(message.contains("'transactItems.5.member.get.tableName'"), message);
    }

    @Test
    void everyOperationTheStoreServesHasItsMembers() {
        for (Operation op : Operation.values()) {
            if (op == Operation.DescribeEndpoints || op == Operation.DescribeLimits) continue;
            assertTrue(RequestValidator.knows(op), op.name());
        }
    }

    /** The sub-members of CreateTable and the Streams operations come in the one list, with the members around them. */
    @Test
    void subMembersAndStreamsMembersAreInTheSameList() throws Exception {
        assertEquals("3 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; "
                        + "Value 'x' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: "
                        + "[AES256, KMS]; Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
                refusal(Operation.CreateTable, "{\"AttributeDefinitions\":[],\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}],"
                        + "\"SSESpecification\":{\"SSEType\":\"x\"},\"Tags\":[{\"Key\":\"k\"}]}"));
        assertEquals("2 validation errors detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than "
                        + "or equal to 100; Value 'abc' at 'exclusiveStartShardId' failed to satisfy constraint: Member must have length "
                        + "greater than or equal to 28",
                refusal(Operation.DescribeStream, "{\"StreamArn\":\"a\",\"Limit\":1001,\"ExclusiveStartShardId\":\"abc\"}"));
        RequestValidator.validate(Operation.GetRecords, json("{\"ShardIterator\":\"i\",\"Limit\":5000}"));
    }

    /** Random JSON in every member position: a request is refused with one of the two exceptions, or passes; nothing else escapes. */
    @Test
    void randomMemberValuesNeverEscapeAsAnythingElse() throws Exception {
        Random random = new Random(19);
        String[] values = {"1", "-1", "1.5", "true", "false", "\"x\"", "\"\"", "[]", "{}", "[1]", "{\"S\":\"a\"}", "[{}]", "{\"a\":{}}",
                "null", "\"dGVzdA==\"", "[\"a;\"]", "{\"a\":[1]}", "99999999999"};
        for (int round = 0; round < 3_000; round++) {
            Operation op = Operation.values()[random.nextInt(Operation.values().length)];
            if (!RequestValidator.knows(op)) continue;
            var members = OperationShapes.ALL.get(op).members().get();
            StringBuilder body = new StringBuilder("{");
            for (int i = 0; i < 1 + random.nextInt(4); i++) {
                if (i > 0) body.append(',');
                body.append('"').append(members.get(random.nextInt(members.size())).name()).append("\":")
                        .append(values[random.nextInt(values.length)]);
            }
            ObjectNode request = json(body.append('}').toString());
            try {
                RequestValidator.validate(op, request);
            } catch (DynamoException e) {
                String type = e.error().shortType();
                assertTrue(type.equals("SerializationException") || type.equals("ValidationException"), type);
            }
        }
    }
}
