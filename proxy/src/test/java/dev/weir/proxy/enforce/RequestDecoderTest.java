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

    @Test
    void whatTheProxyCannotEnforceIsRefusedNotForwarded() {
        DecodedRequest legacy = decoder.decode("DynamoDB_20120810.GetItem",
                bytes("{\"TableName\":\"people\",\"Key\":{},\"Bogus\":[\"ssn\"]}"));
        DynamoException e = assertThrows(DynamoException.class, () -> decoder.requireSupported(legacy));
        assertEquals("ValidationException", e.error().shortType());
        assertEquals("weir does not support the parameter 'Bogus' of GetItem, so the request was "
                + "refused rather than forwarded unchecked", e.error().message());

        DecodedRequest batch = decoder.decode("DynamoDB_20120810.UpdateTimeToLive", bytes("{\"TableName\":\"people\"}"));
        assertEquals("ValidationException", error(() -> decoder.requireSupported(batch)));

        DecodedRequest allNew = decoder.decode("DynamoDB_20120810.PutItem",
                bytes("{\"TableName\":\"people\",\"Item\":{},\"ReturnValues\":\"ALL_NEW\"}"));
        assertEquals("ValidationException", error(() -> decoder.requireSupported(allNew)));
    }

    private static String error(Runnable r) {
        return assertThrows(DynamoException.class, r::run).error().shortType();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
