package dev.weir.protocol.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.wire.JsonBodies;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The streaming writer gives the bytes the tree gives: weir sizes pages by those bytes
 * (docs/threat-model.md, "Order and pages"), so the two must never differ, whatever the names
 * and values hold (quotes, backslashes, control characters, non-ASCII, surrogate pairs).
 */
class AttributeValueJsonWriteTest {
    private static final ObjectMapper JSON = JsonBodies.mapper();
    private static final String[] PIECES = {"a", "é", "\"", "\\", "\n", "\u0001", "\u007f", "😀", "\u2028", "</", "id", " "};

    private static String text(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) sb.append(PIECES[r.nextInt(PIECES.length)]);
        return sb.toString();
    }

    private static AttributeValue value(Random r, int depth) {
        int kind = r.nextInt(depth > 3 ? 5 : 10);
        return switch (kind) {
            case 0 -> new AttributeValue.S(text(r));
            case 1 -> new AttributeValue.N(Integer.toString(r.nextInt(2000) - 1000) + (r.nextBoolean() ? ".5" : ""));
            case 2 -> new AttributeValue.B(AttributeValue.Bytes.ofBase64(java.util.Base64.getEncoder().encodeToString(text(r).getBytes(StandardCharsets.UTF_8))));
            case 3 -> new AttributeValue.Bool(r.nextBoolean());
            case 4 -> new AttributeValue.Null();
            case 5, 6 -> new AttributeValue.M(item(r, depth + 1));
            case 7 -> {
                List<AttributeValue> l = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) l.add(value(r, depth + 1));
                yield new AttributeValue.L(l);
            }
            case 8 -> new AttributeValue.SS(List.of(text(r) + "x", text(r) + "y"));
            default -> new AttributeValue.NS(List.of("1", "2.5", "-3"));
        };
    }

    private static Map<String, AttributeValue> item(Random r, int depth) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = r.nextInt(5); i > 0; i--) m.put(text(r) + i, value(r, depth));
        return m;
    }

    @Test
    void theStreamedBytesAreTheTreesBytes() throws Exception {
        Random r = new Random(0x5eedL);
        for (int i = 0; i < 3_000; i++) {
            Map<String, AttributeValue> item = item(r, 0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
                AttributeValueJson.write(g, item);
            }
            assertArrayEquals(JSON.writeValueAsBytes(AttributeValueJson.toJson(item)), out.toByteArray(), item::toString);
        }
    }
}
