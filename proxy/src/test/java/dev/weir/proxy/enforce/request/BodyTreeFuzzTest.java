package dev.weir.proxy.enforce.request;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.proxy.enforce.verdict.Refusal;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link BodyTree} on arbitrary bytes against Jackson as weir used it before
 * ({@link RequestJson#readStrictly}): a body it reads, Jackson reads to a tree equal node for
 * node (classes and member order); a body Jackson refuses, it declines. Nothing else escapes.
 * Regression inputs live in {@code BodyTreeFuzzTestInputs/<method>/}; {@code ./weir fuzz body-tree} fuzzes.
 */
class BodyTreeFuzzTest {
    @FuzzTest
    @DictionaryEntries({"{", "}", "[", "]", ":", ",", "\"", "\\u", "\\ud83d", "\\ude00", "\\\"", "true", "false", "null",
            "-0", "2147483648", "123456789012345678", "1e3", "1.5", "\"TableName\":", "\"Key\":", "{\"S\":\"x\"}", "\u00e9",
            "\ufeff"})
    void readsAsJacksonOrDeclines(byte[] body) {
        ObjectNode mine = BodyTree.read(body);
        ObjectNode jackson;
        try {
            jackson = body.length == 0 ? null : RequestJson.readStrictly(body);
        } catch (Refusal refused) {
            jackson = null;
        }
        if (mine == null) return;
        if (jackson == null) fail("read a body Jackson refuses: " + new String(body, StandardCharsets.ISO_8859_1));
        alike(jackson, mine);
    }

    private static void alike(JsonNode expected, JsonNode actual) {
        assertEquals(expected.getClass(), actual.getClass());
        assertEquals(expected, actual);
        if (expected.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> e = expected.properties().iterator(), a = actual.properties().iterator();
            while (e.hasNext()) {
                Map.Entry<String, JsonNode> x = e.next(), y = a.next();
                assertEquals(x.getKey(), y.getKey());
                alike(x.getValue(), y.getValue());
            }
        } else if (expected.isArray()) {
            for (int k = 0; k < expected.size(); k++) alike(expected.get(k), actual.get(k));
        }
    }
}
