package dev.weir.protocol.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.value.AttributeName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonBodiesTest {

    /** Names are not kept between parses (Jackson's default kept 3,000 names of 40 KB as 234 MB of heap). */
    @Test
    void namesAreNotKeptBetweenParses() {
        JsonFactory f = JsonBodies.factory();
        assertFalse(f.isEnabled(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES));
        assertFalse(f.isEnabled(JsonFactory.Feature.INTERN_FIELD_NAMES));
    }

    /** Every name DynamoDB takes is read, even escaped, so that its size is judged with DynamoDB's message, not the reader's. */
    @Test
    void namesUpToDynamoDbsLimitAreReadAndLongerOnesGetItsMessage() throws Exception {
        ObjectMapper json = JsonBodies.mapper();
        String longest = "n".repeat(AttributeName.MAX_BYTES);
        JsonNode item = json.readTree(("{\"" + longest + "\":{\"S\":\"x\"}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(1, AttributeValueJson.item(item, "Item").size());
        JsonNode escaped = json.readTree(("{\"" + "\\u006e".repeat(AttributeName.MAX_BYTES) + "\":{\"S\":\"x\"}}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(longest, escaped.fieldNames().next());
        JsonNode tooLong = json.readTree(("{\"" + longest + "n\":{\"S\":\"x\"}}").getBytes(StandardCharsets.UTF_8));
        String name = tooLong.fieldNames().next();
        assertEquals("1 validation error detected: Attribute name is too large, must be less than 65536 bytes",
                assertThrows(DynamoException.class, () -> AttributeName.check(name)).error().message());
        AttributeName.check(longest);
        AttributeName.check("\u00e9".repeat(32_767));
        assertThrows(DynamoException.class, () -> AttributeName.check("\u00e9".repeat(32_768)), "65,536 bytes in two-byte characters");
        assertThrows(DynamoException.class, () -> AttributeName.check("\u20ac".repeat(21_846)), "65,538 bytes in three-byte characters");
        AttributeName.check("\ud83d\ude00".repeat(16_383));   // 65,532 bytes of four-byte characters
    }
}
