package dev.weir.proxy.enforce.read;

import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Projection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ReadAnswer#showGetItem}, a GetItem answer shown on its bytes ({@link ScannedPage#scanGetItem},
 * {@link ShowPlan}), against the path it replaced ({@link ReadAnswer#showGetItemDecoded}: the
 * answer decoded into the item model, shown, and written again): seeded random answers written
 * as raw JSON text (nested maps and lists, every type, unicode and escaped names, numbers in odd
 * spellings, whitespace, names twice, values the model refuses, odd envelopes) through every
 * view the read tests build (removed fields, every kind of mask, nested removals, allow-lists,
 * row filters and denies, the empty view, an unrestricted one) with and without projections
 * (top-level ones, done on the bytes, and nested ones). Both give the same outcome: the same
 * bytes and counts, or both decline (null), or both refuse (throw).
 */
class GetItemBytesTest {
    private static final String[] TEXT = {"a", "Zoë", "中", "😀", " ", "\"", "\\", "\n", "\u0001", "\u2028", "x", "0", "-",
            "é", "/", "\u007f", "Ada Lovelace", "eu"};
    private static final String[] NUMBERS = {"1", "-0", "0.10", "1e5", "1E+05", "-1.5e-3", "00012", "123456789012345678901234567890",
            "0.0000001", "42", "-99999.25", "+7", ".5", "3.14159"};
    private static final String[] NAMES = {"pk", "sk", "id", "n", "name", "region", "ssn", "email", "salary", "address", "tags",
            "notes", "blob", "vip", "nothing", "secret", "m", "a.b", "meta", "txt", "tag", "classified", "prefs", "Zoë", "中文",
            "😀x", "a\"b", "back\\slash", "new\nline", ""};
    /** The first names of {@link #NAMES}, which need no escape and no four-byte form. */
    private static final int PLAIN_NAMES = 25;
    private static final String[] KEYS = {"a", "street", "city", "zip", "public", "private", "k", "lang", "Zoë", "😀", "z", "x.y"};

    private static final List<ReadView> VIEWS = views();
    private static final List<Projection> PROJECTIONS = projections();

    private static List<ReadView> views() {
        List<ReadView> out = new ArrayList<>(List.of(Views.view("reader", "t"), Views.view("reader", "plain"),
                Views.view("admin", "t"), Views.fieldsOnly(), ReadView.EMPTY));
        for (String policy : PageBytesTest.POLICIES) out.add(PageBytesTest.view(policy));
        out.add(Views.of("""
                role r
                allow r on table t op [GetItem, Query]
                  remove meta.private
                  remove address.street
                  mask m.a hash
                  mask "a.b" show_last(1)
                  mask tags[*] show_first(1)
                """));
        out.add(Views.of("""
                role r
                allow r on table t op [GetItem, Query]
                  rows where item.classified == false
                  fields [pk, "Zoë", m.*, meta.public, address.city, tags]
                  mask tags hash
                """));
        return out;
    }

    private static List<Projection> projections() {
        Map<String, String> names = new HashMap<>();
        for (String n : List.of("id", "ssn", "email", "name", "pk", "Zoë", "address", "tags", "a.b", "secret", "salary", "region",
                "m", "a", "city", "meta", "private", "public")) {
            names.put("#" + names.size(), n);
        }
        Map<String, String> byName = new HashMap<>();
        names.forEach((k, v) -> byName.put(v, k));
        ExpressionContext context = new ExpressionContext(names, null);
        List<Projection> out = new ArrayList<>();
        out.add(null);
        out.add(null);
        out.add(null);
        for (String text : List.of("id, ssn, email, name, pk", "Zoë, address, tags, a.b, secret, name", "salary",
                "name, secret, region, tags[1], m.a", "address.city, tags[1], ssn, meta.private", "m, meta.public")) {
            // every name through a placeholder (many are reserved words); "a.b" is one attribute, a.b a path
            StringBuilder expr = new StringBuilder();
            for (String path : text.split(", ")) {
                if (!expr.isEmpty()) expr.append(", ");
                if (path.equals("a.b")) {
                    expr.append(byName.get("a.b"));
                    continue;
                }
                String[] parts = path.split("\\.");
                for (int i = 0; i < parts.length; i++) {
                    String part = parts[i];
                    String index = "";
                    int bracket = part.indexOf('[');
                    if (bracket >= 0) {
                        index = part.substring(bracket);
                        part = part.substring(0, bracket);
                    }
                    expr.append(i > 0 ? "." : "").append(byName.get(part)).append(index);
                }
            }
            out.add(context.projection(expr.toString()));
        }
        return out;
    }

    /** One path's outcome: the bytes and counts, null (declined), or a refusal. */
    private record Outcome(byte[] body, int kept, int dropped, String refused) {
        static Outcome of(byte[] answer, ReadAnswer.Shape shape, boolean bytes) {
            try {
                ReadAnswer.ShownBytes shown = bytes ? ReadAnswer.showGetItem(answer, shape) : ReadAnswer.showGetItemDecoded(answer, shape);
                return shown == null ? new Outcome(null, -1, -1, null) : new Outcome(shown.body(), shown.kept(), shown.dropped(), null);
            } catch (Exception e) {
                return new Outcome(null, -1, -1, e.getClass().getSimpleName());
            }
        }

        String kind() {
            return refused != null ? "refused" : body == null ? "declined" : "answered";
        }
    }

    @Test
    void theBytesPathGivesTheDecodingPathsOutcome() {
        Random rnd = new Random(0x6e7b7e5L);
        int onBytes = 0, answered = 0, declined = 0, refused = 0, projectedOnBytes = 0, hidden = 0;
        Map<String, Integer> byView = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] answer = answer(rnd);
            ReadView view = VIEWS.get(rnd.nextInt(VIEWS.size()));
            Projection projection = PROJECTIONS.get(rnd.nextInt(PROJECTIONS.size()));
            ReadAnswer.Shape shape = new ReadAnswer.Shape(view, projection);
            Outcome before = Outcome.of(answer, shape, false);
            Outcome now = Outcome.of(answer, shape, true);
            String what = new String(answer, StandardCharsets.UTF_8) + "\n view " + view + "\n projection "
                    + (projection == null ? null : projection.paths());
            assertEquals(before.kind(), now.kind(), () -> what + "\n before " + before.refused + ", now " + now.refused);
            if (before.body != null) {
                assertArrayEquals(before.body, now.body, () -> what + "\n before " + new String(before.body, StandardCharsets.UTF_8)
                        + "\n now    " + new String(now.body, StandardCharsets.UTF_8));
                assertEquals(before.kept, now.kept, what);
                assertEquals(before.dropped, now.dropped, what);
                answered++;
                if (now.dropped == 1) hidden++;
                if (takenOnBytes(answer)) {
                    onBytes++;
                    if (projection != null && now.kept == 1) projectedOnBytes++;
                    byView.merge(view.toString(), 1, Integer::sum);
                }
            } else if (before.refused != null) {
                refused++;
            } else {
                declined++;
            }
        }
        assertTrue(onBytes > 9_000, "most answers are plain and shown on their bytes: " + onBytes);
        assertTrue(projectedOnBytes > 1_500, "projections applied to answers shown on their bytes: " + projectedOnBytes);
        assertTrue(hidden > 2_000, "rows the views hide: " + hidden);
        assertTrue(answered - onBytes > 1_000, "answers decoded (escaped or repeated names, odd members): " + (answered - onBytes));
        assertTrue(declined > 200, "odd envelopes are declined by both: " + declined);
        assertTrue(refused > 200, "malformed items are refused by both: " + refused);
        assertEquals(VIEWS.size(), byView.size(), "every view shows answers on their bytes: " + byView.keySet());
    }

    @Test
    void whatTheViewHidesNeverPassesOnTheBytes() throws Exception {
        ReadAnswer.Shape reader = new ReadAnswer.Shape(Views.view("reader", "t"), null);
        String item = "{\"pk\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"name\":{\"S\":\"Ada Lovelace\"},"
                + "\"secret\":{\"S\":\"TOPSECRET\"},\"meta\":{\"M\":{\"public\":{\"S\":\"p\"},\"private\":{\"S\":\"TOPSECRET\"}}}}";
        byte[] answer = ("{\"ConsumedCapacity\":{\"TableName\":\"t\",\"CapacityUnits\":0.5},\"Item\":" + item + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(takenOnBytes(answer));
        ReadAnswer.ShownBytes shown = ReadAnswer.showGetItem(answer, reader);
        assertEquals("{\"Item\":{\"pk\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"name\":{\"S\":\"****ce\"},"
                + "\"meta\":{\"M\":{\"public\":{\"S\":\"p\"}}}}}", new String(shown.body(), StandardCharsets.UTF_8));
        // a name written with an escape is the name it decodes to: the item is decoded, and the view still applies
        byte[] escaped = answer("{\"Item\":" + item.replace("\"secret\"", "\"s\\u0065cret\"").replace("\"name\"", "\"n\\u0061me\"") + "}");
        assertFalse(takenOnBytes(escaped));
        String text = new String(ReadAnswer.showGetItem(escaped, reader).body(), StandardCharsets.UTF_8);
        assertFalse(text.contains("TOPSECRET") || text.contains("Lovelace"), text);
        // a row of another region is left out whole
        ReadAnswer.ShownBytes us = ReadAnswer.showGetItem(answer("{\"Item\":" + item.replace("\"eu\"", "\"us\"") + "}"), reader);
        assertEquals("{}", new String(us.body(), StandardCharsets.UTF_8));
        assertEquals(1, us.dropped());
        // a top-level projection on the bytes keeps its order, and nothing the view removed
        Projection p = new ExpressionContext(Map.of("#s", "secret", "#m", "meta", "#n", "name", "#k", "pk"), null)
                .projection("#s, #m, #n, #k");
        assertEquals("{\"Item\":{\"meta\":{\"M\":{\"public\":{\"S\":\"p\"}}},\"name\":{\"S\":\"****ce\"},\"pk\":{\"S\":\"1\"}}}",
                new String(ReadAnswer.showGetItem(answer, new ReadAnswer.Shape(reader.view(), p)).body(), StandardCharsets.UTF_8));
    }

    @Test
    void answersThatAreNotPlainAreLeftToTheDecodingPath() throws Exception {
        ReadAnswer.Shape reader = new ReadAnswer.Shape(Views.view("reader", "t"), null);
        String item = "{\"pk\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"}}";
        for (String odd : List.of("{\"Item\":" + item + ",\"Item\":" + item + "}", "{\"\\u0049tem\":" + item + "}",
                "{\"Item\":" + item + "} x", "\uFEFF{\"Item\":" + item + "}", "{\"Item\":null}", "{\"Item\":[]}")) {
            assertEquals(null, ScannedPage.scanGetItem(answer(odd)), odd);
            Outcome before = Outcome.of(answer(odd), reader, false);
            Outcome now = Outcome.of(answer(odd), reader, true);
            assertEquals(before.kind(), now.kind(), odd);
            if (before.body != null) assertArrayEquals(before.body, now.body, odd);
        }
        byte[] bad = answer("{\"Item\":{\"pk\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"x\":{\"S\":\"ab\"}}}");
        bad[bad.length - 7] = (byte) 0xC3; // not UTF-8
        assertEquals(null, ScannedPage.scanGetItem(bad));
        assertEquals(null, ReadAnswer.showGetItem(bad, reader));
        ScannedPage empty = ScannedPage.scanGetItem(answer("{\"ConsumedCapacity\":{\"CapacityUnits\":1},\"Extra\":[1,{\"Item\":2}]}"));
        assertNotNull(empty);
        assertEquals(0, empty.size());
        assertEquals("{}", new String(ReadAnswer.showGetItem(answer("{}"), reader).body(), StandardCharsets.UTF_8));
    }

    @Test
    void aViewsPlanIsMadeOncePerThreadForItsDecision() throws Exception {
        // two requests decided the same way share the decision's fields and rows, and so the plan
        ReadView first = Views.view("reader", "t");
        ReadView again = Views.view("reader", "t");
        assertTrue(first != again);
        ShowPlan plan = ShowPlan.forItem(first);
        assertTrue(plan == ShowPlan.forItem(again));
        assertFalse(plan == ShowPlan.forItem(Views.view("reader", "plain")), "another decision, another plan");
        assertFalse(plan == ShowPlan.forItem(ReadView.EMPTY));
        // another thread makes its own (a plan is used by one thread at a time)
        ShowPlan[] other = new ShowPlan[1];
        Thread t = new Thread(() -> other[0] = ShowPlan.forItem(first));
        t.start();
        t.join();
        assertNotNull(other[0]);
        assertFalse(plan == other[0]);
    }

    /** Whether the answer's item is shown from its bytes (a plain answer whose item is not decoded whole). */
    private static boolean takenOnBytes(byte[] answer) {
        try {
            ScannedPage page = ScannedPage.scanGetItem(answer);
            return page != null && page.size() == 1 && !page.isWhole(0);
        } catch (Exception e) {
            return false;
        }
    }

    private static byte[] answer(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---- random answers, written as text ----

    /** A store's GetItem answer: mostly plain, sometimes odd. */
    private static byte[] answer(Random r) {
        Gen g = new Gen(r);
        String item = g.item();
        String capacity = "\"ConsumedCapacity\"" + g.ws() + ":" + g.ws() + "{\"TableName\":\"t\",\"CapacityUnits\":0.5}";
        String extra = "\"Extra\":" + switch (r.nextInt(6)) {
            case 0 -> "[1, 2.5e3, true, null]";
            case 1 -> "{\"Item\":" + g.item() + "}";
            case 2 -> "\"x\\u00e9\"";
            case 3 -> "-0.5";
            case 4 -> "false";
            default -> "{}";
        };
        String text = switch (r.nextInt(60)) {
            case 0 -> "{}";
            case 1 -> "{" + capacity + "}";
            case 2 -> "{\"Item\":" + item + ",\"Item\":" + g.item() + "}";
            case 3 -> "{\"Item\":null}";
            case 4 -> "{\"Item\":[" + item + "]}";
            case 5 -> "{\"Item\":" + item + "} {}";
            case 6 -> "{\"Item\":" + item;
            case 7 -> "{\"\\u0049tem\":" + item + "}";
            case 8 -> "{\"Extra\":01,\"Item\":" + item + "}";
            case 9 -> "{\"Extra\":tru,\"Item\":" + item + "}";
            case 10 -> "\uFEFF{\"Item\":" + item + "}";
            case 11 -> "{" + capacity + "," + capacity + ",\"Item\":" + item + "}";
            default -> {
                List<String> members = new ArrayList<>(List.of("\"Item\"" + g.ws() + ":" + g.ws() + item));
                if (r.nextBoolean()) members.add(capacity);
                if (r.nextInt(3) == 0) members.add(extra);
                java.util.Collections.shuffle(members, r);
                yield g.ws() + "{" + g.ws() + String.join(g.ws() + "," + g.ws(), members) + g.ws() + "}" + g.ws();
            }
        };
        byte[] bytes = answer(text);
        if (r.nextInt(40) == 0) {
            int at = text.indexOf("\"S\":\"");
            if (at > 0) {
                bytes = Arrays.copyOf(bytes, bytes.length);
                bytes[at + 5] = (byte) (r.nextBoolean() ? 0xC3 : 0xFF); // not UTF-8
            }
        }
        return bytes;
    }

    /** Writes random attribute values as JSON text, canonical most of the time. */
    private static final class Gen {
        final Random r;
        /** Whitespace between tokens, in this item. */
        final boolean spacey;

        Gen(Random r) {
            this.r = r;
            this.spacey = r.nextInt(12) == 0;
        }

        String ws() {
            if (!spacey || r.nextBoolean()) return "";
            return new String[] {" ", "\n", "\t", "  ", "\r\n"}[r.nextInt(5)];
        }

        String item() {
            StringBuilder sb = new StringBuilder("{").append(ws());
            List<String> names = new ArrayList<>();
            names.add("pk");
            if (r.nextInt(8) != 0) names.add("region");
            for (int n = r.nextInt(9); n > 0; n--) names.add(NAMES[r.nextInt(r.nextInt(6) == 0 ? NAMES.length : PLAIN_NAMES)]);
            if (r.nextInt(8) == 0) names.add(text(4) + "k");
            names = new ArrayList<>(new java.util.LinkedHashSet<>(names));
            if (r.nextInt(25) == 0) names.add(names.get(r.nextInt(names.size()))); // a name twice
            boolean first = true;
            for (String name : names) {
                if (!first) sb.append(ws()).append(',').append(ws());
                first = false;
                sb.append(string(name, r.nextInt(50) == 0)).append(ws()).append(':').append(ws()).append(typical(name));
            }
            return sb.append(ws()).append('}').toString();
        }

        /** A value of the kind the views' rules expect of the attribute, most of the time. */
        String typical(String name) {
            if (r.nextInt(5) == 0) return value(0);
            return switch (name) {
                case "pk", "id", "sk", "name", "ssn", "email", "notes", "txt", "tag", "a.b" -> s(text(6));
                case "region" -> s(r.nextInt(4) == 0 ? "us" : "eu");
                case "salary", "n" -> typed("N", str(NUMBERS[r.nextInt(NUMBERS.length)]));
                case "classified", "vip" -> typed("BOOL", r.nextBoolean() ? "true" : "false");
                case "address" -> map(0, "street", "city", "zip");
                case "meta" -> map(0, "public", "private");
                case "m" -> map(0, "a", "Zoë", "z");
                case "prefs" -> map(0, "lang", "k");
                case "tags" -> switch (r.nextInt(3)) {
                    case 0 -> typed("SS", "[" + s2() + "," + s2() + "]");
                    case 1 -> typed("NS", "[" + str("1") + "," + str(NUMBERS[r.nextInt(NUMBERS.length)]) + "]");
                    default -> value(0);
                };
                case "blob" -> typed("B", str(base64()));
                case "nothing" -> typed("NULL", "true");
                default -> value(0);
            };
        }

        String value(int depth) {
            if (depth > 3) return s(text(3));
            if (r.nextInt(300) == 0) return deep(35);
            if (r.nextInt(50) == 0) return refused();
            return switch (r.nextInt(13)) {
                case 0, 1, 2 -> s(text(6));
                case 3, 4 -> typed("N", str(NUMBERS[r.nextInt(NUMBERS.length)]));
                case 5 -> typed("B", str(base64()));
                case 6 -> typed("BOOL", r.nextBoolean() ? "true" : "false");
                case 7 -> typed("NULL", "true");
                case 8 -> map(depth);
                case 9 -> {
                    StringBuilder sb = new StringBuilder("[");
                    for (int n = r.nextInt(4); n > 0; n--) sb.append(sb.length() > 1 ? "," + ws() : "").append(value(depth + 1));
                    yield typed("L", sb.append("]").toString());
                }
                case 10 -> typed("SS", "[" + s2() + (r.nextBoolean() ? "," + s2() : "") + "]");
                case 11 -> typed("NS", "[" + str(NUMBERS[r.nextInt(NUMBERS.length)]) + "]");
                default -> typed("BS", "[" + str(base64()) + "," + str(base64()) + "]");
            };
        }

        /** Values the model refuses (or reads otherwise than they look), now and then. */
        String refused() {
            return switch (r.nextInt(8)) {
                case 0 -> "{\"S\":1}";
                case 1 -> "{\"NULL\":false}";
                case 2 -> "{}";
                case 3 -> "{\"S\":\"a\",\"N\":\"1\"}";
                case 4 -> "{\"Q\":\"1\"}";
                case 5 -> "{\"B\":\"not base64!\"}";
                case 6 -> "{\"S\":\"a\",\"S\":\"b\"}"; // a member twice: the last counts
                default -> "[1]";
            };
        }

        String map(int depth, String... preferred) {
            StringBuilder sb = new StringBuilder("{");
            List<String> keys = new ArrayList<>(List.of(preferred));
            for (int n = r.nextInt(3); n > 0; n--) keys.add(KEYS[r.nextInt(KEYS.length)]);
            if (r.nextInt(5) == 0) keys.add(text(3));
            java.util.Collections.shuffle(keys, r);
            keys = new ArrayList<>(new java.util.LinkedHashSet<>(keys.subList(0, r.nextInt(keys.size() + 1))));
            if (!keys.isEmpty() && r.nextInt(30) == 0) keys.add(keys.getFirst()); // a key twice
            for (String k : keys) {
                if (sb.length() > 1) sb.append(',').append(ws());
                sb.append(string(k, r.nextInt(25) == 0)).append(':').append(ws()).append(value(depth + 1));
            }
            return typed("M", sb.append("}").toString());
        }

        String deep(int levels) {
            String v = s("bottom");
            for (int i = 0; i < levels; i++) v = r.nextBoolean() ? typed("L", "[" + v + "]") : typed("M", "{\"d\":" + v + "}");
            return v;
        }

        String typed(String type, String body) {
            return "{" + ws() + "\"" + type + "\"" + ws() + ":" + ws() + body + ws() + "}";
        }

        String s(String text) {
            return typed("S", str(text));
        }

        String s2() {
            return str(text(3) + r.nextInt(1000));
        }

        String str(String text) {
            return string(text, false);
        }

        /** A JSON string; {@code escapeOne}: one plain character written as a {@code \\u} escape (another spelling of the same name). */
        String string(String text, boolean escapeOne) {
            StringBuilder sb = new StringBuilder("\"");
            int escapeAt = escapeOne && !text.isEmpty() ? r.nextInt(text.length()) : -1;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (i == escapeAt || (r.nextInt(200) == 0)) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else if (c == '"') {
                    sb.append("\\\"");
                } else if (c == '\\') {
                    sb.append("\\\\");
                } else if (c == '\n') {
                    sb.append(r.nextBoolean() ? "\\n" : "\\u000a");
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04X", (int) c));
                } else if (c == '/' && r.nextBoolean()) {
                    sb.append("\\/");
                } else {
                    sb.append(c);
                }
            }
            return sb.append('"').toString();
        }

        String text(int max) {
            StringBuilder sb = new StringBuilder();
            for (int n = r.nextInt(max + 1); n > 0; n--) sb.append(TEXT[r.nextInt(TEXT.length)]);
            return sb.toString();
        }

        String base64() {
            byte[] b = new byte[r.nextInt(6)];
            r.nextBytes(b);
            return Base64.getEncoder().encodeToString(b);
        }
    }
}
