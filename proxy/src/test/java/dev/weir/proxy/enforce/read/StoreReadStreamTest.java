package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StoreRead#parse} (one pass over the bytes) gives what {@link StoreRead#parseTree} (the
 * tree) gives, on seeded random pages and on those pages broken at random (bytes changed,
 * cut short, members repeated or moved, something after the page): the same items in the same
 * order and the same LastEvaluatedKey, or the same failure with the same message.
 */
class StoreReadStreamTest {
    private static final ObjectMapper JSON = JsonBodies.mapper();
    private static final String[] PIECES = {"a", "é", "\"", "\\", "\n", "😀", "id", " ", "S", "Items"};
    private static final byte[][] SPLICES = bytes("{", "}", "[", "]", ",", ":", "\"", "null", "1", "{\"S\":1}", "{\"NULL\":false}",
            "\"Items\":[]", "\"LastEvaluatedKey\":{\"id\":{\"S\":\"x\"}}", "\"LastEvaluatedKey\":null", "\\", "\u00ff", "\"Count\":5");

    @Test
    void theOnePassReadsWhatTheTreeReads() throws Exception {
        Random r = new Random(0x16_0a9eL);
        int pages = 0;
        int failures = 0;
        for (int i = 0; i < 6_000; i++) {
            byte[] whole = page(r);
            byte[] body = r.nextInt(3) > 0 ? broken(r, whole) : whole;
            String tree = outcome(() -> StoreRead.parseTree(new UpstreamResponse(200, null, body)));
            String stream = outcome(() -> StoreRead.parse(new UpstreamResponse(200, null, body)));
            assertEquals(tree, stream, () -> new String(body, StandardCharsets.UTF_8));
            // a whole page is read in the one pass, never by the tree path it falls back to
            if (body == whole) assertTrue(StoreRead.stream(whole) != null, () -> new String(whole, StandardCharsets.UTF_8));
            if (tree.startsWith("page")) pages++;
            else failures++;
        }
        assertTrue(pages > 1_000 && failures > 1_000, pages + " pages, " + failures + " failures");
    }

    @Test
    void repeatedAndMisplacedMembersAreReadAsTheTreeReadsThem() throws Exception {
        for (String body : List.of(
                "{\"Items\":[{\"a\":{\"S\":\"1\"}}],\"Items\":[{\"b\":{\"N\":\"2\"}}]}",
                "{\"LastEvaluatedKey\":{\"a\":{\"S\":\"1\"}},\"Items\":[],\"LastEvaluatedKey\":null}",
                "{\"LastEvaluatedKey\":{\"a\":{\"S\":1}},\"Items\":[{\"a\":{\"X\":1}}]}",
                "{\"Items\":[{\"a\":{\"S\":1}}],\"Items\":[]}",
                "{\"Items\":[]} trailing",
                "{\"Items\":{}}",
                "[]",
                "",
                "{\"Count\":1}",
                // malformed UTF-8 in a value: an overlong form, an encoded surrogate, a stray byte
                "{\"Items\":[{\"a\":{\"S\":\"x\u00c0\u0080y\"}}]}",
                "{\"Items\":[{\"a\":{\"S\":\"x\u00ed\u00a0\u0080y\"}}]}",
                "{\"Items\":[{\"a\u00ff\":{\"S\":\"x\"}}]}")) {
            byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(outcome(() -> StoreRead.parseTree(new UpstreamResponse(200, null, bytes))),
                    outcome(() -> StoreRead.parse(new UpstreamResponse(200, null, bytes))), body);
        }
    }

    /** The page, or the failure, as text: class and message (and the DynamoDB error for a refused value). */
    private static String outcome(java.util.concurrent.Callable<StorePage> read) throws IOException {
        try {
            StorePage page = read.call();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
                g.writeStartArray();
                for (Map<String, AttributeValue> item : page.items()) AttributeValueJson.write(g, item);
                g.writeEndArray();
            }
            return "page " + out.toString(StandardCharsets.UTF_8) + " last " + page.lastEvaluatedKey();
        } catch (DynamoException e) {
            return "refused " + e.error();
        } catch (Exception e) {
            return "failed " + e.getClass().getName() + ": " + e.getMessage()
                    + (e.getCause() == null ? "" : " / " + e.getCause().getClass().getName());
        }
    }

    private static byte[] page(Random r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            if (r.nextInt(4) == 0) g.writeNumberField("Count", r.nextInt(10));
            g.writeArrayFieldStart("Items");
            for (int n = r.nextInt(6); n > 0; n--) AttributeValueJson.write(g, item(r, 0));
            g.writeEndArray();
            g.writeNumberField("ScannedCount", r.nextInt(10));
            if (r.nextBoolean()) {
                g.writeFieldName("LastEvaluatedKey");
                if (r.nextInt(5) == 0) g.writeNull();
                else AttributeValueJson.write(g, Map.of("id", new AttributeValue.S(text(r))));
            }
            if (r.nextInt(4) == 0) {
                g.writeObjectFieldStart("ConsumedCapacity");
                g.writeNumberField("CapacityUnits", 0.5);
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static byte[] broken(Random r, byte[] body) {
        return switch (r.nextInt(4)) {
            case 0 -> { // a byte changed
                byte[] b = body.clone();
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                yield b;
            }
            case 1 -> Arrays.copyOf(body, r.nextInt(body.length)); // cut short
            default -> { // something put in somewhere
                byte[] splice = SPLICES[r.nextInt(SPLICES.length)];
                int at = r.nextInt(body.length + 1);
                byte[] b = new byte[body.length + splice.length];
                System.arraycopy(body, 0, b, 0, at);
                System.arraycopy(splice, 0, b, at, splice.length);
                System.arraycopy(body, at, b, at + splice.length, body.length - at);
                yield b;
            }
        };
    }

    private static String text(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(4); n > 0; n--) sb.append(PIECES[r.nextInt(PIECES.length)]);
        return sb.toString();
    }

    private static AttributeValue value(Random r, int depth) {
        return switch (r.nextInt(depth > 2 ? 5 : 9)) {
            case 0 -> new AttributeValue.S(text(r));
            case 1 -> new AttributeValue.N(Integer.toString(r.nextInt(2000) - 1000));
            case 2 -> new AttributeValue.B(new AttributeValue.Bytes(text(r).getBytes(StandardCharsets.UTF_8)));
            case 3 -> new AttributeValue.Bool(r.nextBoolean());
            case 4 -> new AttributeValue.Null();
            case 5, 6 -> new AttributeValue.M(item(r, depth + 1));
            case 7 -> {
                List<AttributeValue> l = new ArrayList<>();
                for (int n = r.nextInt(3); n > 0; n--) l.add(value(r, depth + 1));
                yield new AttributeValue.L(l);
            }
            default -> new AttributeValue.SS(List.of(text(r) + "x", text(r) + "y"));
        };
    }

    private static Map<String, AttributeValue> item(Random r, int depth) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int n = r.nextInt(4); n > 0; n--) m.put(text(r) + n, value(r, depth));
        return m;
    }

    private static byte[][] bytes(String... pieces) {
        byte[][] out = new byte[pieces.length][];
        for (int i = 0; i < pieces.length; i++) out[i] = pieces[i].getBytes(StandardCharsets.UTF_8);
        return out;
    }
}
