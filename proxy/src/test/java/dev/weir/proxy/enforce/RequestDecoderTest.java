package dev.weir.proxy.enforce;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestDecoderTest {
    private final RequestDecoder decoder = new RequestDecoder();

    @Test
    void readsTheOperationAndTable() {
        DecodedRequest r = decoder.decode("DynamoDB_20120810.GetItem", bytes("{\"TableName\":\"people\",\"Key\":{}}"));
        assertEquals(Operation.GetItem, r.operation());
        assertEquals("people", r.table());
        assertEquals("people", r.policyTable());
        DecodedRequest list = decoder.decode("DynamoDB_20120810.ListTables", bytes(""));
        assertNull(list.table());
        assertEquals("*", list.policyTable());
    }

    @Test
    void aWrongTargetIsAnUnknownOperation() {
        assertEquals("UnknownOperationException", error(() -> decoder.decode("DynamoDB_20120810.Nope", bytes("{}"))));
        assertEquals("UnknownOperationException", error(() -> decoder.decode(null, bytes("{}"))));
        assertEquals("UnknownOperationException", error(() -> decoder.decode("Other.GetItem", bytes("{}"))));
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsASerializationError() {
        assertEquals("SerializationException", error(() -> decoder.decode("DynamoDB_20120810.GetItem", bytes("{nope"))));
        assertEquals("SerializationException", error(() -> decoder.decode("DynamoDB_20120810.GetItem", bytes("[1]"))));
    }

    /** An unchanged body is forwarded as its bytes, so what other parsers could read differently is refused. */
    @Test
    void aBodyWithTwoMeaningsIsASerializationError() {
        DynamoException twice = assertThrows(DynamoException.class, () -> decoder.decode("DynamoDB_20120810.GetItem",
                bytes("{\"TableName\":\"secret\",\"TableName\":\"public\",\"Key\":{}}")));
        assertEquals("SerializationException", twice.error().shortType());
        assertEquals("The request body names a member more than once.", twice.error().message());
        assertEquals("SerializationException", error(() -> decoder.decode("DynamoDB_20120810.GetItem",
                bytes("{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"1\"},\"id\":{\"S\":\"2\"}}}"))));
        DynamoException trailing = assertThrows(DynamoException.class, () -> decoder.decode("DynamoDB_20120810.GetItem",
                bytes("{\"TableName\":\"public\"}{\"TableName\":\"secret\"}")));
        assertEquals("SerializationException", trailing.error().shortType());
        assertEquals("The request body has content after its JSON object.", trailing.error().message());
        decoder.decode("DynamoDB_20120810.GetItem", bytes(" {\"TableName\":\"t\"}\r\n "));
    }

    @Test
    void whatTheProxyCannotEnforceIsRefusedNotForwarded() {
        DecodedRequest legacy = decoder.decode("DynamoDB_20120810.GetItem",
                bytes("{\"TableName\":\"people\",\"Key\":{},\"Bogus\":[\"ssn\"]}"));
        DynamoException e = assertThrows(DynamoException.class, () -> decoder.requireSupported(legacy));
        assertEquals("ValidationException", e.error().shortType());
        assertEquals("weir does not support the parameter 'Bogus' of GetItem, so the request was "
                + "refused rather than forwarded unchecked", e.error().message());

        DecodedRequest limits = decoder.decode("DynamoDB_20120810.DescribeLimits", bytes("{}"));
        assertEquals("ValidationException", error(() -> decoder.requireSupported(limits)));

        DecodedRequest allNew = decoder.decode("DynamoDB_20120810.PutItem",
                bytes("{\"TableName\":\"people\",\"Item\":{},\"ReturnValues\":\"ALL_NEW\"}"));
        assertEquals("ValidationException", error(() -> decoder.requireSupported(allNew)));
    }

    @Test
    void aTagOperationIsDecidedOnTheTableItsArnNames() {
        DecodedRequest tag = decoder.decode("DynamoDB_20120810.TagResource",
                bytes("{\"ResourceArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/people\",\"Tags\":[]}"));
        decoder.requireSupported(tag);
        assertEquals("people", tag.table());
        assertEquals("people", decoder.decode("DynamoDB_20120810.ListTagsOfResource",
                bytes("{\"ResourceArn\":\"arn:aws:dynamodb:us-east-1:0:table/people/stream/2026\"}")).table());
        assertEquals("*", decoder.decode("DynamoDB_20120810.UntagResource",
                bytes("{\"ResourceArn\":\"arn:aws:kms:us-east-1:0:key/people\",\"TagKeys\":[]}")).policyTable());
        assertEquals("*", decoder.decode("DynamoDB_20120810.UntagResource",
                bytes("{\"ResourceArn\":\"table/people\",\"TagKeys\":[]}")).policyTable());
    }

    private static String error(Runnable r) {
        return assertThrows(DynamoException.class, r::run).error().shortType();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
