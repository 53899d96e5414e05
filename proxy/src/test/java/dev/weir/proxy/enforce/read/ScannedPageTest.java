package dev.weir.proxy.enforce.read;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link ScannedPage} copies as bytes and what it leaves to Jackson: a member is copied
 * only when its bytes are those weir writes for its value; an item whose names need decoding is
 * decoded whole; a page that is not plain is declined, and a value the decoding path refuses is
 * refused.
 */
class ScannedPageTest {
    private static ScannedPage scan(String body) throws IOException {
        return ScannedPage.scan(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the one member of the one item of a page holding {@code value} is copied as bytes. */
    private static boolean copied(String value) throws IOException {
        ScannedPage page = scan("{\"Items\":[{\"a\":" + value + "}]}");
        assertNotNull(page, value);
        assertFalse(page.isWhole(0), value);
        assertEquals(1, page.endMember(0) - page.firstMember(0));
        return page.canonical(page.firstMember(0));
    }

    @Test
    void onlyValuesWrittenAsWeirWritesThemAreCopied() throws IOException {
        for (String v : new String[] {"{\"S\":\"x\"}", "{\"N\":\"-1.5\"}", "{\"BOOL\":true}", "{\"BOOL\":false}",
                "{\"NULL\":true}", "{\"M\":{}}", "{\"M\":{\"k\":{\"S\":\"é\"},\"l\":{\"L\":[{\"N\":\"1\"},{\"SS\":[]}]}}}",
                "{\"SS\":[\"a\",\"b\"]}", "{\"NS\":[\"1\"]}", "{\"L\":[]}", "{\"S\":\"a/b \u2028\u007f\"}"}) {
            assertTrue(copied(v), v);
        }
        for (String v : new String[] {"{\"S\":\"a\\/b\"}", "{\"S\":\"\\u0078\"}", "{\"S\":\"\\\"\"}", "{\"S\":\"😀\"}",
                "{\"B\":\"QQ==\"}", "{\"BS\":[\"QQ==\"]}", "{ \"S\":\"x\"}", "{\"S\" :\"x\"}", "{\"M\":{\"k\":{\"S\":\"1\"},\"k\":{\"S\":\"2\"}}}",
                "{\"M\":{\"\\u006b\":{\"S\":\"1\"}}}", "{\"L\":[{\"S\":\"x\"} ]}", "{\"N\":\"1\",\"N\":\"2\"}"}) {
            assertFalse(copied(v), v);
        }
    }

    @Test
    void valuesLeftToJacksonDecodeAsTheDecodingPathDecodesThem() throws IOException {
        ScannedPage page = scan("{\"Items\":[{\"a\":{\"S\":\"\\u0078\\/\"},\"b\":{\"B\":\"QQ\"},\"c\":{\"M\":{\"k\":{\"N\":\"1\"},\"k\":{\"N\":\"2\"}}}}]}");
        assertNotNull(page);
        assertEquals(Map.of("a", new AttributeValue.S("x/"), "b", new AttributeValue.B(new AttributeValue.Bytes(new byte[] {'A'})),
                "c", new AttributeValue.M(Map.of("k", new AttributeValue.N("2")))), page.item(0));
    }

    @Test
    void itemsWhoseNamesNeedDecodingAreDecodedWhole() throws IOException {
        ScannedPage page = scan("{\"Items\":[{\"\\u0073sn\":{\"S\":\"1\"}},{\"ssn\":{\"S\":\"1\"},\"ssn\":{\"S\":\"2\"}},"
                + "{\"😀\":{\"S\":\"1\"}},{\"ssn\":{\"S\":\"3\"}}]}");
        assertNotNull(page);
        assertEquals(4, page.size());
        assertTrue(page.isWhole(0));
        assertEquals(Map.of("ssn", new AttributeValue.S("1")), page.item(0));
        assertTrue(page.isWhole(1));
        assertEquals(Map.of("ssn", new AttributeValue.S("2")), page.item(1), "the last of a name written twice, as the decoder keeps it");
        assertTrue(page.isWhole(2));
        assertFalse(page.isWhole(3));
    }

    @Test
    void pagesThatAreNotPlainAreDeclinedAndRefusedValuesRefused() throws IOException {
        for (String body : new String[] {"{\"Items\":[]} x", "{\"\\u0049tems\":[]}", "{\"Items\":[],\"Items\":[]}", "{\"Items\":{}}",
                "{\"Items\":[1]}", "{\"Count\":1}", "[]", "", "{\"Items\":[]"}) {
            assertNull(scan(body), body);
        }
        assertThrows(DynamoException.class, () -> scan("{\"Items\":[{\"a\":{\"S\":1}}]}"));
        assertThrows(DynamoException.class, () -> scan("{\"Items\":[{\"a\":{\"NULL\":false}}]}"));
        assertThrows(IOException.class, () -> scan("{\"Items\":[{\"a\":{\"S\":\"x\",}}]}"));
        assertThrows(IOException.class, () -> scan("{\"Count\":01,\"Items\":[]}"));
        assertNull(ScannedPage.scan(new byte[] {'{', '"', 'I', (byte) 0xC0, (byte) 0x80, '"', ':', '1', '}'}), "not strict UTF-8");
    }

    /**
     * The scan checks UTF-8 as it passes the bytes (no pass of its own): a page with bytes that
     * are not strict UTF-8 anywhere (a member name, a value, a set's member, a map key, an
     * escaped string, a member weir does not read, the LastEvaluatedKey) is never taken (null or
     * thrown: the decoding path then decides), while the same page with strict multi-byte text
     * in the same place is.
     */
    @Test
    void bytesThatAreNotStrictUtf8AnywhereDeclineThePage() throws IOException {
        String[] templates = {
                "{\"Items\":[{\"a@\":{\"S\":\"x\"}}]}",
                "{\"Items\":[{\"a\":{\"S\":\"x@y\"}}]}",
                "{\"Items\":[{\"a\":{\"S\":\"0123456789abcdef@\"}}]}",
                "{\"Items\":[{\"a\":{\"SS\":[\"x\",\"@\"]}}]}",
                "{\"Items\":[{\"a\":{\"M\":{\"k@\":{\"S\":\"x\"}}}}]}",
                "{\"Items\":[{\"a\":{\"M\":{\"k\":{\"L\":[{\"S\":\"@\"}]}}}}]}",
                "{\"Items\":[{\"a\":{\"S\":\"\\/@\"}}]}",
                "{\"Items\":[{\"\\u0061@\":{\"S\":\"x\"}}]}",
                "{\"Items\":[{\"a\":{\"S\":\"x\"},\"a\":{\"S\":\"@\"}}]}",
                "{\"Items\":[],\"Note\":\"@\"}",
                "{\"Items\":[],\"N@\":1}",
                "{\"Items\":[],\"LastEvaluatedKey\":{\"id\":{\"S\":\"@\"}}}",
                "{\"Items\":[{\"a\":{\"S\":\"x\",\"S\":\"@\"}}]}",
        };
        int[][] malformed = {{0xC0, 0x80}, {0xC1, 0xBF}, {0x80}, {0xBF}, {0xFF}, {0xE0, 0x9F, 0xBF}, {0xED, 0xA0, 0x80},
                {0xF0, 0x8F, 0xBF, 0xBF}, {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xE2, 0x82}, {0xC3}, {0xF0, 0x9F, 0x98}};
        int[][] strict = {{0xC3, 0xA9}, {0xE2, 0x82, 0xAC}, {0xED, 0x9F, 0xBF}, {0xF0, 0x9F, 0x98, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}};
        for (String template : templates) {
            for (int[] bad : malformed) {
                byte[] body = inject(template, bad);
                assertFalse(dev.weir.protocol.wire.Utf8.isStrict(body));
                ScannedPage page;
                try {
                    page = ScannedPage.scan(body);
                } catch (IOException | RuntimeException refused) {
                    page = null;
                }
                assertNull(page, () -> template + " with " + java.util.Arrays.toString(bad));
            }
            for (int[] good : strict) {
                byte[] body = inject(template, good);
                assertTrue(dev.weir.protocol.wire.Utf8.isStrict(body));
                if (template.contains("\"S\":\"x\",\"S\"")) continue; // a value with a member twice: refused whatever its text
                assertNotNull(ScannedPage.scan(body), () -> template + " with " + java.util.Arrays.toString(good));
            }
        }
    }

    /** The template's UTF-8 bytes with its {@code @} replaced by the given bytes. */
    private static byte[] inject(String template, int[] bytes) {
        byte[] t = template.getBytes(StandardCharsets.UTF_8);
        int at = template.indexOf('@');
        byte[] out = new byte[t.length - 1 + bytes.length];
        System.arraycopy(t, 0, out, 0, at);
        for (int k = 0; k < bytes.length; k++) out[at + k] = (byte) bytes[k];
        System.arraycopy(t, at + 1, out, at + bytes.length, t.length - at - 1);
        return out;
    }

    /**
     * A name hashes alike wherever its bytes lie: inside a page (read eight bytes at a time,
     * the bytes after it masked off), at the very end of an array, or alone as {@link ShowPlan}
     * hashes the names it knows; were it not so, a known name would be taken for another.
     */
    @Test
    void aNameHashesAlikeWhereverItsBytesLie() {
        java.util.Random r = new java.util.Random(29);
        java.util.Set<Long> distinct = new java.util.HashSet<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            byte[] name = new byte[r.nextInt(40)];
            for (int k = 0; k < name.length; k++) name[k] = (byte) (' ' + r.nextInt(90));
            long alone = ScannedPage.hash(name, 0, name.length);
            int before = r.nextInt(9), after = r.nextInt(12);
            byte[] page = new byte[before + name.length + after];
            r.nextBytes(page);
            System.arraycopy(name, 0, page, before, name.length);
            assertEquals(alone, ScannedPage.hash(page, before, before + name.length), "inside a page");
            byte[] atEnd = java.util.Arrays.copyOfRange(page, 0, before + name.length);
            assertEquals(alone, ScannedPage.hash(atEnd, before, atEnd.length), "at the end of an array");
            distinct.add(alone);
            names.add(new String(name, StandardCharsets.ISO_8859_1));
        }
        assertEquals(names.size(), distinct.size(), "names of different bytes hash apart");
        assertFalse(ScannedPage.hash(new byte[] {0}, 0, 1) == ScannedPage.hash(new byte[0], 0, 0), "a zero byte is not nothing");
    }

    /**
     * The string scan's eight-byte test flags a word exactly when one of its bytes is a quote,
     * a backslash, a control character or not ASCII: every byte value at every position among
     * plain text, and seeded words mixing plain and stopping bytes. A word wrongly passed would
     * let a string run past its end or an escape be copied as plain text.
     */
    @Test
    void theEightByteTestStopsAtExactlyTheBytesAStringEndsOrTurnsAt() {
        java.util.Random r = new java.util.Random(31);
        for (int pos = 0; pos < 8; pos++) {
            for (int c = 0; c < 256; c++) {
                for (int trial = 0; trial < 8; trial++) {
                    long x = 0;
                    for (int k = 0; k < 8; k++) {
                        int v = k == pos ? c : plainByte(r);
                        x |= (long) v << (8 * k);
                    }
                    assertEquals(stopsAt(c), (ScannedPage.stops(x) & 0x8080808080808080L) != 0,
                            "byte 0x" + Integer.toHexString(c) + " at " + pos);
                }
            }
        }
        for (int trial = 0; trial < 200_000; trial++) {
            long x = 0;
            boolean stop = false;
            for (int k = 0; k < 8; k++) {
                int v = r.nextInt(4) == 0 ? r.nextInt(256) : plainByte(r);
                stop |= stopsAt(v);
                x |= (long) v << (8 * k);
            }
            assertEquals(stop, (ScannedPage.stops(x) & 0x8080808080808080L) != 0, Long.toHexString(x));
        }
    }

    private static boolean stopsAt(int c) {
        return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
    }

    private static int plainByte(java.util.Random r) {
        while (true) {
            int v = 0x20 + r.nextInt(0x60);
            if (!stopsAt(v)) return v;
        }
    }

    /** Strings of every length around the scan's sixteen- and eight-byte steps end at their quote, and a stopping byte anywhere in them is seen. */
    @Test
    void stringsOfEveryLengthEndAtTheirQuoteAndEveryStopIsSeen() throws IOException {
        for (int length = 0; length < 70; length++) {
            String text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.:; ".repeat(2).substring(0, length);
            ScannedPage page = scan("{\"Items\":[{\"a\":{\"S\":\"" + text + "\"},\"b\":{\"N\":\"1\"}}]}");
            assertNotNull(page, text);
            assertTrue(page.canonical(page.firstMember(0)), text);
            assertEquals(Map.of("a", new AttributeValue.S(text), "b", new AttributeValue.N("1")), page.item(0), text);
            for (int at = 0; at < length; at++) {
                for (String stop : new String[] {"\\n", "\\\"", "\u00e9", "\ud83d\ude00"}) {
                    String odd = text.substring(0, at) + stop + text.substring(at);
                    ScannedPage p = scan("{\"Items\":[{\"a\":{\"S\":\"" + odd + "\"}}]}");
                    assertNotNull(p, odd);
                    AttributeValue want = new AttributeValue.S(stop.startsWith("\\") ? text.substring(0, at) + (stop.equals("\\n") ? "\n" : "\"") + text.substring(at) : odd);
                    assertEquals(Map.of("a", want), p.item(0), odd);
                    assertEquals(stop.equals("\u00e9"), p.canonical(p.firstMember(0)), odd);
                }
            }
        }
    }
}
