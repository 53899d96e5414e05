package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-pass page filter ({@link ScannedPage}, {@link ShowPlan}) against the decoding path it
 * replaces ({@link StoreRead#parseDecoded}: into the item model), on
 * seeded random reads: store pages written as the store writes them (Jackson's bytes) and
 * written otherwise (escapes in names and values, {@code "\u0073sn"} for {@code ssn},
 * whitespace, a member twice at the top and in maps, unpadded base64, four-byte characters),
 * through views with masks, removals, allow-lists, nested paths and row filters, with the
 * client's filters, projections, COUNT, Limits and page sizes, followed page by page. Every
 * page the caller gets is the same byte for byte (the new path copies only members whose
 * bytes are what the old one writes), with the same counts, keys and hidden rows; and a value
 * the view removes never reaches the caller however its name is written.
 */
class OnePassPageTest {
    private static final ObjectMapper JSON = JsonBodies.mapper();
    private static final List<String> POLICIES = List.of("""
            allow analyst on table people op [Scan]
              rows where item.region == principal.region
              mask ssn show_last(4)
              mask email hash
              remove salary
              remove address.street
            """, """
            allow analyst on table people op [Scan]
              fields [id, name, tags[*], address.city, region, salary]
              mask tags[*] show_first(2)
              mask name pattern("[aeiou]", "_")
            """, """
            allow analyst on table people op [Scan]
              mask address hash
              mask salary round(1000)
              remove notes
              remove ssn
            """, """
            allow analyst on table people op [Scan]
              rows where item.address.city == "City a" or item.vip == true
              mask address.zip show_last(2)
              mask ssn constant("x")
              mask blob show_first(3)
            """, """
            allow analyst on table people op [Scan]
              mask notes unkeyed_sha256
              mask email hmac(key: "k")
              mask blob hash
              mask tags hash
            """, """
            allow analyst on table people op [Scan]
              null tags
              remove address
              mask salary show_first(2)
              mask name show_last(3)
            """, """
            allow analyst on table people op [Scan]
            deny analyst on table people op [Scan]
              rows where item.vip == true
            """, """
            allow analyst on table people op [Scan]
              fields [id, email, address.zip, vip, "we\\"ird", "ü😀"]
              mask email constant(0)
              mask address.zip show_first(1)
            """, """
            allow analyst on table people op [Scan]
              fields [*]
            """, """
            allow analyst on table people op [Scan]
              rows where item.region == principal.region
            """, """
            allow analyst on table people op [Scan]
              rows where item.region == principal.region
              fields [id, name, region, email, ssn, address.*, tags]
              mask ssn show_last(4)
              mask email hash
              remove address.street
              mask address.zip show_first(2)
            """, """
            allow analyst on table people op [Scan]
              fields [id, address.city, address.geo, salary, name, email, ssn]
              mask address.geo hash
              mask salary hash
              mask name show_first(2)
              mask ssn unkeyed_sha256
              mask email hmac(key: "k")
            """, """
            allow analyst on table people op [Scan]
              mask address.* show_last(1)
              remove address.geo.lat
              mask salary constant(0)
              mask region constant("r\\"q")
              mask notes show_first(3)
            """, """
            allow analyst on table people op [Scan]
              fields [id, address]
              remove address.geo.tags
              null address.zip
            """);
    private static final String[] TEXT = {"a", "é", "\"", "\\", "\n", "😀", "x", " ", "0", "-", "\u0001", "\u2028", "/", "ü", "s"};
    private static final String[] EXTRA_NAMES = {"we\"ird", "ü😀", "a b", "/", "notes2", "ssn "};

    @Test
    void theOnePassGivesTheDecodingPathsPagesByteForByte() throws Exception {
        Random r = new Random(0x16_0fa57L);
        int reads = 0, scanned = 0, declined = 0, pagesCompared = 0;
        for (int i = 0; i < 700; i++) {
            Read read = randomRead(r);
            Outcome fast = read.run(StoreRead::parse);
            Outcome before = read.run(StoreRead::parseDecoded);
            assertEquals(before.text(), fast.text(), "read " + i + " " + read);
            for (int p = 0; p < before.pages.size(); p++) {
                assertArrayEquals(before.pages.get(p), fast.pages.get(p), "read " + i + " page " + p);
                assertEquals(JSON.readTree(before.pages.get(p)), JSON.readTree(fast.pages.get(p)));
                assertEquals(before.items.get(p), fast.items.get(p), "read " + i + " page " + p + " items");
            }
            pagesCompared += before.pages.size();
            reads++;
            for (byte[] body : read.storePages.values()) {
                if (ScannedPage.scan(body) != null) scanned++;
                else declined++;
            }
        }
        assertTrue(pagesCompared > 1500, "pages " + pagesCompared);
        assertTrue(scanned > 10 * declined, "scanned " + scanned + ", declined " + declined);
        assertEquals(700, reads);
    }

    @Test
    void aRemovedValueNeverShowsWhateverItsNameLooksLike() throws Exception {
        ReadView view = view("""
                allow analyst on table people op [Scan]
                  remove ssn
                  remove address.street
                  mask email hash
                """);
        Random r = new Random(13);
        for (int i = 0; i < 300; i++) {
            StringBuilder page = new StringBuilder("{\"Items\":[");
            int n = 1 + r.nextInt(5);
            for (int k = 0; k < n; k++) {
                if (k > 0) page.append(',');
                page.append("{\"id\":{\"S\":\"p-").append(k).append("\"}");
                for (String name : List.of("ssn", "\\u0073sn", "ss\\u006e", "\\u0073\\u0073\\u006E")) {
                    if (r.nextInt(3) == 0) page.append(",\"").append(name).append("\":{\"S\":\"TOPSECRET-").append(k).append("\"}");
                }
                if (r.nextBoolean()) page.append(",\"ssn\":{\"S\":\"TOPSECRET\"}");
                page.append(",\"address\":{\"M\":{\"city\":{\"S\":\"c\"},\"")
                        .append(r.nextBoolean() ? "street" : "\\u0073treet").append("\":{\"S\":\"TOPSECRET\"}");
                if (r.nextBoolean()) page.append(",\"street\":{\"S\":\"TOPSECRET again\"}");
                page.append("}}");
                page.append(",\"email\":{\"S\":\"TOPSECRET@example.com\"}}");
            }
            page.append("]}");
            byte[] body = page.toString().getBytes(StandardCharsets.UTF_8);
            StorePage stored = StoreRead.parse(new UpstreamResponse(200, null, body));
            byte[] shown = Pager.builder(view, List.of("id"), (s, l) -> CompletableFuture.completedFuture(stored))
                    .deadline(Long.MAX_VALUE / 2).build().run().join().toBytes();
            String text = new String(shown, StandardCharsets.UTF_8);
            assertFalse(text.contains("TOPSECRET"), text);
            assertTrue(text.contains("\"city\""), text);
        }
    }

    private record Outcome(List<byte[]> pages, List<String> items, String text) {}

    /** One client read over a table of stored rows, each store page's bytes fixed up front. */
    private record Read(ReadView view, String policy, Map<Integer, byte[]> storePages, List<String> ids, int perStorePage,
                        Integer limit, long pageBytes, Condition filter, Projection projection, Select select) {
        Outcome run(Function<UpstreamResponse, StorePage> parse) {
            List<byte[]> pages = new ArrayList<>();
            List<String> items = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            Map<String, AttributeValue> start = null;
            for (int n = 0; n < 100; n++) {
                Pager.Builder b = Pager.builder(view, List.of("id"), (after, hint) -> {
                            int from = after == null ? 0 : ids.indexOf(((AttributeValue.S) after.get("id")).value()) + 1;
                            return CompletableFuture.completedFuture(parse.apply(new UpstreamResponse(200, null, storePages.get(from))));
                        })
                        .deadline(Long.MAX_VALUE / 2).limit(limit).pageBytes(pageBytes).filter(filter).projection(projection)
                        .select(select).exclusiveStartKey(start);
                Page page;
                try {
                    page = b.build().run().join();
                } catch (RuntimeException e) {
                    Throwable c = e.getCause() != null ? e.getCause() : e;
                    text.append("failed ").append(c.getClass().getSimpleName()).append(' ').append(c.getMessage());
                    break;
                }
                pages.add(page.toBytes());
                items.add(String.valueOf(page.items()));
                text.append(page.count()).append('/').append(page.scannedCount()).append('/').append(page.hidden())
                        .append(' ').append(page.lastEvaluatedKey()).append('\n');
                start = page.lastEvaluatedKey();
                if (start == null) break;
            }
            return new Outcome(pages, items, text.toString());
        }

        @Override public String toString() {
            return policy + " limit " + limit + " pageBytes " + pageBytes + " filter " + filter + " projection " + projection
                    + " select " + select;
        }
    }

    private static ReadView view(String rules) {
        String policy = "role analyst\n" + rules;
        var loaded = PolicyLoader.load(List.of(new PolicySource("onepass.weir", policy)));
        var table = loaded.table().orElseThrow(() -> new IllegalArgumentException(loaded.errors() + "\n" + policy));
        DecisionRequest request = new DecisionRequest("ada", Set.of("analyst"), Map.of("region", List.of("eu")), "people",
                Operation.Scan, Context.NONE);
        return ReadView.of(table.decide(request), request);
    }

    private static Read randomRead(Random r) {
        String policy = POLICIES.get(r.nextInt(POLICIES.size()));
        int rows = 1 + r.nextInt(60);
        int per = 1 + r.nextInt(25);
        List<String> ids = new ArrayList<>();
        List<Map<String, AttributeValue>> people = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            ids.add("p-" + i);
            people.add(person(r, i));
        }
        // every store page that may be asked for: the one starting at each row
        int style = r.nextInt(3); // 0: the store's bytes; 1: written otherwise now and then; 2: often
        Map<Integer, byte[]> storePages = new LinkedHashMap<>();
        for (int from = 0; from <= rows; from++) {
            int to = Math.min(rows, from + per);
            StringBuilder sb = new StringBuilder();
            Writer w = new Writer(r, style == 0 ? 0 : style == 1 ? 30 : 6, sb);
            w.page(people.subList(Math.min(from, to), to), to < rows ? ids.get(to - 1) : null);
            storePages.put(from, sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        Integer limit = r.nextInt(3) == 0 ? 1 + r.nextInt(30) : null;
        long pageBytes = r.nextInt(3) == 0 ? 100 + r.nextInt(6_000) : Pager.PAGE_BYTES;
        Condition filter = switch (r.nextInt(5)) {
            case 0 -> new ExpressionContext(null, Map.of(":s", new AttributeValue.N("100000"))).condition("FilterExpression", "salary > :s");
            case 1 -> new ExpressionContext(null, null).condition("FilterExpression", "attribute_exists(tags)");
            case 2 -> new ExpressionContext(Map.of("#w", "we\"ird"), Map.of(":c", new AttributeValue.S("City a")))
                    .condition("FilterExpression", "attribute_exists(#w) or address.city = :c");
            default -> null;
        };
        Projection projection = r.nextInt(4) == 0 ? new ExpressionContext(null, null).projection("id, address.city, tags[1], ssn, email") : null;
        Select select = projection == null && r.nextInt(8) == 0 ? Select.COUNT : null;
        return new Read(view(policy), policy, storePages, ids, per, limit, pageBytes, filter, projection, select);
    }

    private static String text(Random r, int max) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(max + 1); n > 0; n--) sb.append(TEXT[r.nextInt(TEXT.length)]);
        return sb.toString();
    }

    private static Map<String, AttributeValue> person(Random r, int i) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("id", new AttributeValue.S("p-" + i));
        if (r.nextInt(10) > 0) m.put("name", new AttributeValue.S("Person " + text(r, 6)));
        if (r.nextInt(10) > 0) m.put("email", r.nextInt(10) == 0 ? new AttributeValue.N("42") : new AttributeValue.S(text(r, 5) + "@example.com"));
        if (r.nextInt(10) > 0) m.put("ssn", new AttributeValue.S(String.format("%03d-%02d-%04d", r.nextInt(1000), r.nextInt(100), r.nextInt(10000))));
        if (r.nextInt(10) > 0) m.put("salary", r.nextInt(6) == 0 ? new AttributeValue.S("lots")
                : new AttributeValue.N(Integer.toString(30_000 + r.nextInt(150_000))));
        if (r.nextInt(12) > 0) m.put("region", new AttributeValue.S(r.nextBoolean() ? "eu" : "us"));
        if (r.nextInt(6) > 0) {
            Map<String, AttributeValue> a = new LinkedHashMap<>();
            if (r.nextBoolean()) a.put("street", new AttributeValue.S(r.nextInt(200) + " Long Street " + text(r, 3)));
            a.put("city", new AttributeValue.S("City " + (r.nextBoolean() ? "a" : text(r, 2))));
            if (r.nextBoolean()) a.put("zip", new AttributeValue.S(Integer.toString(10_000 + r.nextInt(80_000))));
            if (r.nextInt(4) == 0) a.put("geo", new AttributeValue.M(Map.of("lat", new AttributeValue.N("1.5"),
                    "tags", new AttributeValue.L(List.of(new AttributeValue.Null(), new AttributeValue.Bool(true))))));
            m.put("address", new AttributeValue.M(a));
        }
        switch (r.nextInt(6)) {
            case 0 -> { }
            case 1 -> m.put("tags", new AttributeValue.L(List.of(new AttributeValue.S("t" + text(r, 2)),
                    new AttributeValue.M(Map.of("k", new AttributeValue.S(text(r, 2)))), new AttributeValue.L(List.of()))));
            case 2 -> m.put("tags", new AttributeValue.NS(List.of("1", Integer.toString(2 + r.nextInt(100)))));
            case 3 -> m.put("tags", new AttributeValue.BS(List.of(new AttributeValue.Bytes(text(r, 3).getBytes(StandardCharsets.UTF_8)))));
            default -> m.put("tags", new AttributeValue.SS(List.of("customer", "tier-" + r.nextInt(3) + text(r, 2))));
        }
        if (r.nextBoolean()) m.put("notes", new AttributeValue.S("x".repeat(r.nextInt(300)) + text(r, 4)));
        if (r.nextInt(3) == 0) m.put("blob", new AttributeValue.B(new AttributeValue.Bytes(text(r, 5).getBytes(StandardCharsets.UTF_8))));
        if (r.nextInt(4) == 0) m.put("vip", new AttributeValue.Bool(r.nextBoolean()));
        if (r.nextInt(6) == 0) m.put("nothing", new AttributeValue.Null());
        if (r.nextInt(5) == 0) m.put(EXTRA_NAMES[r.nextInt(EXTRA_NAMES.length)], new AttributeValue.S(text(r, 3)));
        if (r.nextInt(8) == 0) m.put("empty", new AttributeValue.M(Map.of()));
        return m;
    }

    /**
     * Writes DynamoDB JSON as the store does (odds 0) or, one time in {@code odds} for each
     * choice, otherwise: a character escaped, whitespace, a member written twice (the first
     * time with another value), base64 without padding.
     */
    private static final class Writer {
        private final Random r;
        private final int odds;
        private final StringBuilder sb;

        Writer(Random r, int odds, StringBuilder sb) {
            this.r = r;
            this.odds = odds;
            this.sb = sb;
        }

        private boolean now() {
            return odds > 0 && r.nextInt(odds) == 0;
        }

        private void ws() {
            if (now()) sb.append(r.nextBoolean() ? " " : "\n\t");
        }

        void page(List<Map<String, AttributeValue>> items, String lastId) {
            sb.append('{');
            ws();
            if (r.nextInt(4) == 0) sb.append("\"Count\":").append(items.size()).append(',');
            sb.append("\"Items\":");
            ws();
            sb.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) sb.append(',');
                ws();
                item(items.get(i));
            }
            sb.append(']');
            sb.append(",\"ScannedCount\":").append(items.size());
            if (lastId != null) sb.append(",\"LastEvaluatedKey\":{\"id\":{\"S\":\"").append(lastId).append("\"}}");
            if (r.nextInt(6) == 0) sb.append(",\"ConsumedCapacity\":{\"TableName\":\"people\",\"CapacityUnits\":0.5}");
            ws();
            sb.append('}');
        }

        void item(Map<String, AttributeValue> item) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                if (now()) { // written twice: the decoder keeps the last value, at the first place
                    string(e.getKey());
                    sb.append(':');
                    value(new AttributeValue.S("TWICE"));
                    sb.append(',');
                }
                ws();
                string(e.getKey());
                ws();
                sb.append(':');
                ws();
                value(e.getValue());
            }
            sb.append('}');
        }

        void value(AttributeValue v) {
            sb.append('{');
            ws();
            switch (v) {
                case AttributeValue.S s -> { sb.append("\"S\":"); string(s.value()); }
                case AttributeValue.N n -> { sb.append("\"N\":"); string(n.value()); }
                case AttributeValue.B b -> { sb.append("\"B\":"); base64(b.value()); }
                case AttributeValue.Bool b -> sb.append("\"BOOL\":").append(b.value());
                case AttributeValue.Null x -> sb.append("\"NULL\":true");
                case AttributeValue.M m -> { sb.append("\"M\":"); item(m.value()); }
                case AttributeValue.L l -> {
                    sb.append("\"L\":[");
                    for (int i = 0; i < l.value().size(); i++) {
                        if (i > 0) sb.append(',');
                        value(l.value().get(i));
                    }
                    sb.append(']');
                }
                case AttributeValue.SS ss -> strings("SS", ss.value());
                case AttributeValue.NS ns -> strings("NS", ns.value());
                case AttributeValue.BS bs -> {
                    sb.append("\"BS\":[");
                    for (int i = 0; i < bs.value().size(); i++) {
                        if (i > 0) sb.append(',');
                        base64(bs.value().get(i));
                    }
                    sb.append(']');
                }
            }
            ws();
            sb.append('}');
        }

        private void strings(String type, List<String> values) {
            sb.append('"').append(type).append("\":[");
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) sb.append(',');
                string(values.get(i));
            }
            sb.append(']');
        }

        private void base64(AttributeValue.Bytes b) {
            String text = Base64.getEncoder().encodeToString(b.array());
            if (now()) text = text.replace("=", "");
            string(text);
        }

        /** A JSON string: escaped where JSON must, and (odds) elsewhere too. */
        private void string(String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') sb.append('\\').append(c);
                else if (c == '\n') sb.append("\\n");
                else if (Character.isHighSurrogate(c) && i + 1 < s.length()) { // a pair: both halves escaped, or neither
                    char low = s.charAt(++i);
                    if (now()) sb.append(String.format("\\u%04X\\u%04x", (int) c, (int) low));
                    else sb.append(c).append(low);
                }
                else if (c < 0x20 || now()) sb.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
                else if (c == '/' && now()) sb.append("\\/");
                else sb.append(c);
            }
            sb.append('"');
        }
    }
}
