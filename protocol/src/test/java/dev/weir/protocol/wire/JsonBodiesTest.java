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
import static org.junit.jupiter.api.Assertions.assertTrue;
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

    /**
     * mayName is the quick look before a body is read whole: it may say yes when no member has
     * the name, never no when one has it, whatever the spelling the JSON reader decodes.
     */
    @Test
    void mayNameNeverMissesAMemberAJsonReaderSees() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String[] bodies = {
                "{\"Attributes\":{}}", "{\"\\u0041ttributes\":{}}", "{\"Attr\\u0069butes\":1}", "{\"a\":\"x\",\"Attributes\":null}",
                "{}", "{\"Attribute\":1}", "{\"Attributes2\":1}", "{\"xAttributes\":1}", "{\"a\":\"Attributes\"}",
                "{\"a\":\"say \\\"hi\\\"\"}", "{\"Attributes\"", "\"Attributes\"", "",
        };
        for (String text : bodies) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            boolean may = JsonBodies.mayName(body, "Attributes");
            JsonNode tree;
            try {
                tree = json.readTree(body);
            } catch (Exception notJson) {
                continue;
            }
            if (tree != null && tree.has("Attributes")) assertTrue(may, text);
        }
        assertFalse(JsonBodies.mayName("{}".getBytes(StandardCharsets.UTF_8), "Attributes"));
        assertFalse(JsonBodies.mayName("{\"Attribute\":1,\"Attributes2\":2}".getBytes(StandardCharsets.UTF_8), "Attributes"));
        assertTrue(JsonBodies.mayName("{\"a\":\"\\n\"}".getBytes(StandardCharsets.UTF_8), "Attributes"), "any escape: read whole");
        assertTrue(JsonBodies.mayName("{\"a\":\"Attributes\"}".getBytes(StandardCharsets.UTF_8), "Attributes"), "a value may say yes");
        assertFalse(JsonBodies.mayName("\"Attributes".getBytes(StandardCharsets.UTF_8), "Attributes"), "cut short");
    }
}
