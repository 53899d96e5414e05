package dev.weir.protocol.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.wire.JsonBodies;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link AttributeValueBytes} writes the bytes Jackson's generator writes
 * ({@link AttributeValueJson#write}), whatever names and values hold: every character class
 * Jackson treats apart (quotes, backslashes, each control, U+007F, two- and three-byte UTF-8,
 * U+2028, surrogates paired and lone, U+FFFF), on seeded random items of every type.
 */
class AttributeValueBytesTest {
    private static final ObjectMapper JSON = JsonBodies.mapper();
    private static final String[] PIECES = {"a", "é", "\"", "\\", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u0001", "\u001f",
            "\u007f", "\u0080", "\u07ff", "\u0800", "😀", "\ud800", "\udfff", "\u2028", "\uffff", "</", "id", " ", "?", "x".repeat(40), "y".repeat(7), "z".repeat(9)};

    private static String text(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(7); n > 0; n--) sb.append(PIECES[r.nextInt(PIECES.length)]);
        return sb.toString();
    }

    private static AttributeValue value(Random r, int depth) {
        return switch (r.nextInt(depth > 3 ? 5 : 12)) {
            case 0 -> new AttributeValue.S(text(r));
            case 1 -> new AttributeValue.N(Integer.toString(r.nextInt(2000) - 1000) + (r.nextBoolean() ? ".5" : ""));
            case 2 -> new AttributeValue.B(AttributeValue.Bytes.ofBase64(Base64.getEncoder().encodeToString(text(r).getBytes(StandardCharsets.UTF_8))));
            case 3 -> new AttributeValue.Bool(r.nextBoolean());
            case 4 -> new AttributeValue.Null();
            case 5, 6 -> new AttributeValue.M(item(r, depth + 1));
            case 7 -> {
                List<AttributeValue> l = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) l.add(value(r, depth + 1));
                yield new AttributeValue.L(l);
            }
            case 8 -> new AttributeValue.SS(List.of(text(r) + "x", text(r) + "y"));
            case 9 -> new AttributeValue.BS(List.of(new AttributeValue.Bytes(new byte[] {1, 2}), new AttributeValue.Bytes(new byte[0])));
            case 10 -> new AttributeValue.L(List.of());
            default -> new AttributeValue.NS(List.of("1", "2.5", "-3"));
        };
    }

    private static Map<String, AttributeValue> item(Random r, int depth) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = r.nextInt(5); i > 0; i--) m.put(text(r) + i, value(r, depth));
        return m;
    }

    private static byte[] jackson(Map<String, AttributeValue> item) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            AttributeValueJson.write(g, item);
        }
        return out.toByteArray();
    }

    @Test
    void theBytesAreJacksons() throws Exception {
        Random r = new Random(0xb17e5L);
        AttributeValueBytes all = new AttributeValueBytes(16);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 5_000; i++) {
            Map<String, AttributeValue> item = item(r, 0);
            AttributeValueBytes one = new AttributeValueBytes(1);
            one.item(item);
            byte[] want = jackson(item);
            assertArrayEquals(want, one.toByteArray(), item::toString);
            all.item(item);
            expected.write(want);
        }
        // one buffer, grown many times, holds them all one after another
        assertArrayEquals(expected.toByteArray(), all.toByteArray());
    }

    @Test
    void theEightBytesAtATimeCheckIsTheByteByByteOne() {
        Random r = new Random(0x8b17L);
        byte[] special = {0x00, 0x1f, 0x20, 0x21, '"', '\\', '?', 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xef, (byte) 0xf0, (byte) 0xf4, (byte) 0xf8, (byte) 0xff};
        for (int i = 0; i < 100_000; i++) {
            byte[] u = new byte[r.nextInt(40)];
            for (int j = 0; j < u.length; j++) u[j] = r.nextInt(6) == 0 ? special[r.nextInt(special.length)] : (byte) ('a' + r.nextInt(26));
            boolean expected = true;
            for (byte b : u) {
                boolean plain = b < 0 ? (b & 0xF8) != 0xF0 : b >= 0x20 && b != '"' && b != '\\' && b != '?';
                if (!plain) expected = false;
            }
            assertEquals(expected, AttributeValueBytes.plain(u), java.util.HexFormat.of().formatHex(u));
        }
    }

    @Test
    void truncateForgetsTheEnd() {
        AttributeValueBytes b = new AttributeValueBytes(4);
        b.writeByte('[');
        b.value(new AttributeValue.S("abc"));
        assertEquals(12, b.size());
        b.truncate(1);
        b.value(new AttributeValue.Bool(false));
        b.writeByte(']');
        assertEquals("[{\"BOOL\":false}]", new String(b.toByteArray(), StandardCharsets.UTF_8));
    }
}
