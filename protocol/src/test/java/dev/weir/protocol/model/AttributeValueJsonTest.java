package dev.weir.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.error.DynamoException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttributeValueJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyTypeRoundTrips() throws Exception {
        JsonNode item = JSON.readTree("""
                {"s":{"S":"x"},"n":{"N":"1.5"},"b":{"B":"AAE="},"t":{"BOOL":true},"z":{"NULL":true},
                 "m":{"M":{"a":{"S":"y"}}},"l":{"L":[{"N":"1"},{"S":"2"}]},"ss":{"SS":["a","b"]},
                 "ns":{"NS":["1","2"]},"bs":{"BS":["AA==","AQ=="]}}""");
        Map<String, AttributeValue> parsed = AttributeValueJson.item(item, "Item");
        assertEquals(10, parsed.size());
        assertEquals(new AttributeValue.Bytes(new byte[] {0, 1}), ((AttributeValue.B) parsed.get("b")).value());
        assertEquals(item, AttributeValueJson.toJson(parsed));
    }

    @Test
    void malformedValuesAreRefused() {
        assertEquals("SerializationException", error("{\"BOOL\":\"yes\"}"));
        assertEquals("ValidationException", error("{\"NULL\":false}"));
        assertEquals("SerializationException", error("{\"S\":1}"));
        assertEquals("ValidationException", error("{\"S\":\"a\",\"N\":\"1\"}"));
        assertEquals("ValidationException", error("{\"X\":\"a\"}"));
        // text that is no base64 is the client's mistake, not a fault (it threw IllegalArgumentException)
        assertEquals("SerializationException", error("{\"B\":\"Serli[n\"}"));
        assertEquals("SerializationException", error("{\"BS\":[\"AQI=\", \"%%\"]}"));
    }

    private static String error(String json) {
        return assertThrows(DynamoException.class, () -> AttributeValueJson.value(JSON.readTree(json)))
                .error().shortType();
    }
}
