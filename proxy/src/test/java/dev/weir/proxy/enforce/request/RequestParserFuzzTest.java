package dev.weir.proxy.enforce.request;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.verdict.Refusal;
import dev.weir.proxy.enforce.verdict.Verdict;
import dev.weir.proxy.upstream.UpstreamAccount;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The request parser on arbitrary targets and bodies, as the firewall runs it:
 * {@link RequestParser#parse} reads the target and the JSON body, checks the members weir
 * supports ({@link KnownMembers}), makes the tables canonical, splits batches and transactions
 * into parts and parses every expression. It either yields a request or refuses with a
 * DynamoDB error of the kind DynamoDB itself would send (status 400): malformed input as
 * INVALID (UnknownOperation, Serialization or Validation), what weir does not support as
 * UNENFORCEABLE (Validation), a table ARN of another account as FORBIDDEN (AccessDenied); no
 * other exception escapes. A request it accepts has one meaning: a strict parser (duplicate
 * members and trailing content refused) reads the same tree, since an unchanged body is
 * forwarded as its original bytes and the store must not read something else in them; and the
 * tree written out again parses to the same tables and parts.
 *
 * <p>Input format (so seeds are plain files): the first line is the {@code X-Amz-Target}
 * header (no line: no header), the rest is the body. Regression inputs live in
 * {@code RequestParserFuzzTestInputs/<method>/}; {@code ./weir fuzz request-decoder} fuzzes.
 */
class RequestParserFuzzTest {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Map<Verdict.Kind, Set<String>> REFUSALS = Map.of(
            Verdict.Kind.INVALID, Set.of("UnknownOperationException", "SerializationException", "ValidationException"),
            Verdict.Kind.UNENFORCEABLE, Set.of("ValidationException"),
            Verdict.Kind.FORBIDDEN, Set.of("AccessDeniedException"));
    private static final Set<Operation> PART_ACTS = Set.of(Operation.GetItem, Operation.PutItem, Operation.UpdateItem,
            Operation.DeleteItem);

    private final RequestParser parser = new RequestParser(UpstreamAccount.DEFAULT);

    @FuzzTest
    @DictionaryEntries({"DynamoDB_20120810.", "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
            "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems", "\"TableName\":", "\"Key\":",
            "\"Item\":", "\"RequestItems\":", "\"TransactItems\":", "\"PutRequest\":", "\"DeleteRequest\":", "\"Get\":",
            "\"Put\":", "\"Update\":", "\"Delete\":", "\"ConditionCheck\":", "\"Keys\":", "\"ReturnValues\":",
            "\"ALL_OLD\"", "\"ResourceArn\":", "\"arn:aws:dynamodb:us-east-1:000000000000:table/people\"",
            "\"arn:aws:dynamodb:us-east-1:111122223333:table/people\"", "\"ProjectionExpression\":",
            "\"ConditionExpression\":", "\"UpdateExpression\":", "\"ExpressionAttributeNames\":",
            "\"ExpressionAttributeValues\":", "{\"S\":\"x\"}", "[", "]", "{", "}"})
    void parsingRefusesWithADynamoErrorOrYieldsOneMeaning(byte[] input) {
        int newline = indexOf(input, (byte) '\n');
        String target = newline < 0 ? null : new String(input, 0, newline, StandardCharsets.ISO_8859_1);
        byte[] body = newline < 0 ? input : Arrays.copyOfRange(input, newline + 1, input.length);

        ParsedRequest request;
        try {
            request = parser.parse("fuzz", target, body);
        } catch (Refusal r) {
            expect(r);
            return;
        }
        assertNotNull(request.operation());
        JsonNode strict = assertDoesNotThrow(() -> body.length == 0 ? STRICT.createObjectNode() : STRICT.readTree(body),
                "the parser accepted a body that a strict parser reads differently or refuses");
        assertEquals(strict, request.body(), "the parser read another tree than a strict parser");
        checkTables(request);
        checkParts(request);

        ParsedRequest again;
        try {
            again = parser.parse("fuzz", target, STRICT.writeValueAsBytes(request.body()));
        } catch (Exception e) {
            throw new AssertionError("the tree written out again is refused: " + e, e);
        }
        assertEquals(request.operation(), again.operation());
        assertEquals(request.table(), again.table());
        assertEquals(request.namesAsSent(), again.namesAsSent());
        assertEquals(request.parts().stream().map(p -> p.acts() + " " + p.table()).toList(),
                again.parts().stream().map(p -> p.acts() + " " + p.table()).toList(), "the tree written out means another thing");
    }

    /** The table of a single request is the one its TableName or ResourceArn names, canonical. */
    private static void checkTables(ParsedRequest r) {
        JsonNode name = r.body().get("TableName");
        JsonNode arn = r.body().get("ResourceArn");
        if (r.isMultiPart()) {
            assertNull(r.table());
        } else if (name != null && name.isTextual()) {
            assertCanonical(r.table(), name.textValue(), r.namesAsSent());
        } else if (arn != null && arn.isTextual()) {
            TableArn parsed = TableArn.parse(arn.textValue());
            assertNotNull(parsed, "a ResourceArn that is no table ARN was accepted");
            assertEquals(parsed.table(), r.table());
        } else {
            assertNull(r.table(), "a table came from nowhere");
        }
        for (Map.Entry<String, String> e : r.namesAsSent().entrySet()) {
            assertTrue(r.tables().contains(e.getKey()), () -> "a name as sent for a table not named: " + e);
            TableArn parsed = TableArn.parse(e.getValue());
            assertNotNull(parsed, () -> "a name as sent that is no table ARN: " + e);
            assertEquals(e.getKey(), parsed.table());
        }
    }

    /** A single request is its one part; a batch or transaction is split into parts that each act as a single-item request. */
    private static void checkParts(ParsedRequest r) {
        List<Part> parts = r.parts();
        assertFalse(parts.isEmpty(), "a request without parts");
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            assertEquals(i, part.index());
            assertNotNull(part.body());
            assertNotNull(part.expressions());
            if (!r.isMultiPart()) {
                assertEquals(1, parts.size());
                assertEquals(r.operation(), part.acts());
                assertEquals(r.table(), part.table());
                assertSame(r.body(), part.body());
                continue;
            }
            assertNotNull(part.table(), "a part names no table");
            assertTrue(PART_ACTS.contains(part.acts()), () -> "a part acts as " + part.acts());
            if (r.operation() == Operation.TransactGetItems || r.operation() == Operation.BatchGetItem) {
                assertEquals(Operation.GetItem, part.acts());
            }
        }
        if (r.isMultiPart()) {
            assertEquals(List.copyOf(new LinkedHashSet<>(parts.stream().map(Part::table).toList())), r.tables());
        }
    }

    private static void assertCanonical(String table, String asSent, Map<String, String> namesAsSent) {
        if (table.equals(asSent)) {
            assertFalse(TableArn.isArn(asSent), "an ARN taken as a plain name");
            return;
        }
        TableArn arn = TableArn.parse(asSent);
        assertNotNull(arn, () -> asSent + " became " + table);
        assertEquals(UpstreamAccount.DEFAULT.region(), arn.region());
        assertEquals(UpstreamAccount.DEFAULT.accountId(), arn.account());
        assertEquals(arn.table(), table);
        assertEquals(asSent, namesAsSent.get(table));
    }

    /** A refusal must be a 400 of a kind parsing makes, with the DynamoDB error that kind sends, and a message. */
    private static void expect(Refusal r) {
        DynamoError error = r.error();
        Set<String> types = REFUSALS.get(r.kind());
        if (types == null || !types.contains(error.shortType())) fail("unexpected refusal " + r.kind() + " " + error);
        assertEquals(400, error.status(), error::toString);
        assertNotNull(error.message(), error::toString);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == b) return i;
        return -1;
    }
}
