package dev.weir.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.error.DynamoException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttributeValueJsonTest {
    /** Jackson refuses names over 50,000 characters by default; DynamoDB's limit is what is tested here. */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNameLength(1 << 20).build())
            .build());

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

    /** Numbers are checked against DynamoDB's limits as they are read: keys, items, maps, lists and number sets alike. */
    @Test
    void numbersOverDynamoDbsLimitsAreRefusedAsTheyAreRead() {
        String digits39 = "1".repeat(39);
        assertEquals("Attempting to store more than 38 significant digits in a Number", message("{\"N\":\"" + digits39 + "\"}"));
        assertEquals("Attempting to store more than 38 significant digits in a Number",
                message("{\"NS\":[\"1\",\"" + digits39 + "\"]}"));
        assertEquals("Number overflow. Attempting to store a number with magnitude larger than supported range",
                message("{\"M\":{\"a\":{\"L\":[{\"N\":\"1E126\"}]}}}"));
        assertEquals("Number underflow. Attempting to store a number with magnitude smaller than supported range",
                message("{\"N\":\"-1E-131\"}"));
        assertEquals("The parameter cannot be converted to a numeric value: 1x", message("{\"N\":\"1x\"}"));
        assertEquals("Number overflow. Attempting to store a number with magnitude larger than supported range",
                message("{\"N\":\"" + "9".repeat(1_000_000) + "\"}"));
        // the text is kept as sent: canonical forms are the store's business
        assertEquals(new AttributeValue.N("000123.50"), value("{\"N\":\"000123.50\"}"));
        assertEquals(new AttributeValue.N("1".repeat(38)), value("{\"N\":\"" + "1".repeat(38) + "\"}"));
    }

    /** An attribute name is at most 65,535 UTF-8 bytes, at the top of an item and inside maps. */
    @Test
    void attributeNamesOverSixtyFourKilobytesAreRefused() throws Exception {
        String longest = "n".repeat(AttributeValueJson.MAX_NAME_BYTES);
        String tooLong = longest + "n";
        String tooLongInUtf8 = "\u00e9".repeat(32_768);   // 32,768 characters, 65,536 bytes
        String tooLarge = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";
        assertEquals(1, AttributeValueJson.item(JSON.readTree("{\"" + longest + "\":{\"S\":\"x\"}}"), "Item").size());
        for (String name : new String[] {tooLong, tooLongInUtf8}) {
            assertEquals(tooLarge, assertThrows(DynamoException.class, () -> AttributeValueJson.item(
                    JSON.readTree("{\"" + name + "\":{\"S\":\"x\"}}"), "Item")).error().message());
            assertEquals(tooLarge, message("{\"M\":{\"" + name + "\":{\"N\":\"1\"}}}"));
        }
        assertEquals(2, AttributeValueJson.item(JSON.readTree(
                "{\"" + "\u00e9".repeat(32_767) + "\":{\"S\":\"x\"},\"b\":{\"S\":\"y\"}}"), "Item").size());
    }

    private static AttributeValue value(String json) {
        try {
            return AttributeValueJson.value(JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String message(String json) {
        return assertThrows(DynamoException.class, () -> value(json)).error().message();
    }

    private static String error(String json) {
        return assertThrows(DynamoException.class, () -> AttributeValueJson.value(JSON.readTree(json)))
                .error().shortType();
    }
}
