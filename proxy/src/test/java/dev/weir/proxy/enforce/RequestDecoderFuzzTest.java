package dev.weir.proxy.enforce;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The JSON request decoder on arbitrary targets and bodies, as the firewall runs it:
 * {@code decode}, then for batches and transactions {@code Part.of}, then
 * {@code requireSupported}. Each step either succeeds or refuses with a DynamoDB error of the
 * kind DynamoDB itself would send (UnknownOperation, Serialization or Validation, status 400);
 * no other exception escapes. A body the decoder accepts has one meaning: a strict parser
 * (duplicate members and trailing content refused) reads the same tree, since an unchanged body
 * is forwarded as its original bytes and the store must not read something else in them.
 *
 * <p>Input format (so seeds are plain files): the first line is the {@code X-Amz-Target}
 * header (no line: no header), the rest is the body. Regression inputs live in
 * {@code RequestDecoderFuzzTestInputs/<method>/}; {@code ./weir fuzz request-decoder} fuzzes.
 */
class RequestDecoderFuzzTest {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> DECODE_ERRORS = Set.of("UnknownOperationException", "SerializationException");
    private static final Set<Operation> MULTI_PART = Set.of(Operation.BatchGetItem, Operation.BatchWriteItem,
            Operation.TransactGetItems, Operation.TransactWriteItems);
    private static final Set<Operation> PART_ACTS = Set.of(Operation.GetItem, Operation.PutItem, Operation.UpdateItem,
            Operation.DeleteItem);

    private final RequestDecoder decoder = new RequestDecoder();

    @FuzzTest
    @DictionaryEntries({"DynamoDB_20120810.", "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
            "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems", "\"TableName\":", "\"Key\":",
            "\"Item\":", "\"RequestItems\":", "\"TransactItems\":", "\"PutRequest\":", "\"DeleteRequest\":", "\"Get\":",
            "\"Put\":", "\"Update\":", "\"Delete\":", "\"ConditionCheck\":", "\"Keys\":", "\"ReturnValues\":",
            "\"ALL_OLD\"", "\"ResourceArn\":", "\"arn:aws:dynamodb:r:1:table/t\"", "{\"S\":\"x\"}", "[", "]", "{", "}"})
    void decodingRefusesWithADynamoErrorOrYieldsOneMeaning(byte[] input) {
        int newline = indexOf(input, (byte) '\n');
        String target = newline < 0 ? null : new String(input, 0, newline, StandardCharsets.ISO_8859_1);
        byte[] body = newline < 0 ? input : Arrays.copyOfRange(input, newline + 1, input.length);

        DecodedRequest request;
        try {
            request = decoder.decode(target, body);
        } catch (DynamoException e) {
            expect(e, DECODE_ERRORS);
            return;
        }
        assertNotNull(request.operation());
        assertNotNull(request.body());
        JsonNode strict = assertDoesNotThrow(() -> body.length == 0 ? STRICT.createObjectNode() : STRICT.readTree(body),
                "the decoder accepted a body that a strict parser reads differently or refuses");
        assertEquals(strict, request.body(), "the decoder read another tree than a strict parser");
        JsonNode table = request.body().get("TableName");
        if (table != null && table.isTextual()) assertEquals(table.textValue(), request.table());

        if (MULTI_PART.contains(request.operation())) {
            List<Part> parts;
            try {
                parts = Part.of(request);
            } catch (DynamoException e) {
                expect(e, Set.of());
                return;
            }
            assertFalse(parts.isEmpty());
            for (Part part : parts) {
                assertNotNull(part.table(), "a part names no table");
                assertTrue(PART_ACTS.contains(part.acts()), () -> "a part acts as " + part.acts());
                assertEquals(part.acts(), part.asRequest().operation());
                assertEquals(part.table(), part.asRequest().table());
            }
        }
        try {
            decoder.requireSupported(request);
        } catch (DynamoException e) {
            expect(e, Set.of());
        }
    }

    /** A refusal must be a 400 of one of {@code kinds} or a ValidationException, with a message. */
    private static void expect(DynamoException e, Set<String> kinds) {
        DynamoError error = e.error();
        if (!kinds.contains(error.shortType()) && !error.shortType().equals("ValidationException")) {
            fail("unexpected error kind " + error);
        }
        assertEquals(400, error.status(), error::toString);
        assertNotNull(error.message(), error::toString);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == b) return i;
        return -1;
    }
}
