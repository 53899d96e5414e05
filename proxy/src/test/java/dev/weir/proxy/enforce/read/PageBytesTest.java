package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.protocol.model.Operation;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The caller's pages, byte for byte, are those weir gave before its read path was made faster
 * (issue 16): the store page of {@code PagedReadBenchmark} through the demo analyst's view, and
 * seeded random reads (random items, views with every kind of mask, removals, allow-lists, row
 * filters and denies; random Limit, page size, filter, projection and Select) followed page by
 * page through their LastEvaluatedKey. The expected SHA-256 of each read's pages is in
 * {@code page-bytes.golden}, written by {@link #main} run against the code before the change
 * (commit ce10c1f); a change that alters one byte a caller sees fails here.
 */
class PageBytesTest {
    private static final ObjectMapper JSON = JsonBodies.mapper();
    static final int RANDOM_READS = 60;

    /** The rules the random reads' views come from: one is picked per read, for role analyst in region eu. */
    static final List<String> POLICIES = List.of("""
            role analyst
            allow analyst on table people op [Scan]
              rows where item.region == principal.region
              mask ssn show_last(4)
              mask email hash
              remove salary
              remove address.street
            """, """
            role analyst
            allow analyst on table people op [Scan]
              fields [id, name, tags[*], address.city, region, salary]
              mask tags[*] show_first(2)
              mask name pattern("[aeiou]", "_")
            """, """
            role analyst
            allow analyst on table people op [Scan]
              mask address hash
              mask salary round(1000)
              remove notes
            """, """
            role analyst
            allow analyst on table people op [Scan]
              rows where item.region == principal.region
              mask address.zip show_last(2)
              mask salary bucket(10000)
              mask ssn constant("x")
              mask blob show_first(3)
            """, """
            role analyst
            allow analyst on table people op [Scan]
              mask notes unkeyed_sha256
              mask email hmac(key: "k")
              mask blob hash
              mask tags hash
            """, """
            role analyst
            allow analyst on table people op [Scan]
              null tags
              remove address
              mask salary show_first(2)
              mask name show_last(3)
            """, """
            role analyst
            allow analyst on table people op [Scan]
            deny analyst on table people op [Scan]
              rows where item.vip == true
            """, """
            role analyst
            allow analyst on table people op [Scan]
              fields [id, email, address.zip, vip]
              mask email constant(0)
              mask address.zip show_first(1)
            """);
    private static final String[] TEXT = {"a", "é", "\"", "\\", "\n", "😀", "x", " ", "0", "-", "\u0001", "\u2028"};

    @Test
    void theCallersBytesAreThoseOfBefore() throws Exception {
        Map<String, String> golden = golden();
        Map<String, String> now = digests();
        assertEquals(RANDOM_READS + 1, golden.size());
        for (Map.Entry<String, String> e : golden.entrySet()) {
            assertNotNull(now.get(e.getKey()), e.getKey());
            assertEquals(e.getValue(), now.get(e.getKey()), e.getKey());
        }
    }

    /** Writes the golden file's lines: {@code name sha256 bytes}. Run against the code before the change. */
    public static void main(String[] args) throws Exception {
        digests().forEach((name, digest) -> System.out.println(name + " " + digest));
    }

    private static Map<String, String> golden() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = PageBytesTest.class.getResourceAsStream("page-bytes.golden")) {
            assertNotNull(in, "page-bytes.golden");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                int space = line.indexOf(' ');
                out.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return out;
    }

    /** Each read's name and the SHA-256 and length of its pages' bytes (or of its failure). */
    static Map<String, String> digests() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("benchmark", digest(benchmarkRead()));
        Random r = new Random(0x16_b17e5L);
        for (int i = 0; i < RANDOM_READS; i++) out.put("random-" + i, digest(randomRead(r)));
        return out;
    }

    private static String digest(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)) + " " + bytes.length;
    }

    static ReadView view(String policy) {
        var loaded = PolicyLoader.load(List.of(new PolicySource("bytes.weir", policy)));
        var table = loaded.table().orElseThrow(() -> new IllegalArgumentException(loaded.errors() + "\n" + policy));
        DecisionRequest request = new DecisionRequest("ada", Set.of("analyst"), Map.of("region", List.of("eu")), "people",
                Operation.Scan, Context.NONE);
        return ReadView.of(table.decide(request), request);
    }

    /** The benchmark's read: its store page, made as PagedReadBenchmark makes it, through the demo analyst's view. */
    private static byte[] benchmarkRead() throws Exception {
        Random r = new Random(7);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("Items");
        for (int i = 0; i < 1000; i++) {
            ObjectNode it = items.addObject();
            it.putObject("id").put("S", "p-" + i);
            it.putObject("name").put("S", "Person " + r.nextInt(1_000_000));
            it.putObject("email").put("S", "person" + i + "@example.com");
            it.putObject("ssn").put("S", String.format("%03d-%02d-%04d", r.nextInt(1000), r.nextInt(100), r.nextInt(10000)));
            it.putObject("salary").put("N", Integer.toString(30_000 + r.nextInt(150_000)));
            it.putObject("region").put("S", i % 2 == 0 ? "eu" : "us");
            ObjectNode addr = it.putObject("address").putObject("M");
            addr.putObject("street").put("S", r.nextInt(200) + " Long Street Name");
            addr.putObject("city").put("S", "City " + r.nextInt(100));
            addr.putObject("zip").put("S", Integer.toString(10_000 + r.nextInt(80_000)));
            ArrayNode tags = it.putObject("tags").putArray("SS");
            tags.add("customer").add("tier-" + r.nextInt(3));
            it.putObject("notes").put("S", "x".repeat(700 + r.nextInt(200)));
        }
        body.put("Count", 1000);
        body.put("ScannedCount", 1000);
        byte[] page = JSON.writeValueAsBytes(body);
        StorePage stored = StoreRead.parse(new UpstreamResponse(200, null, page));
        return Pager.builder(view(POLICIES.get(0)), List.of("id"), (start, limit) -> CompletableFuture.completedFuture(stored))
                .deadline(System.nanoTime() + 60_000_000_000L).build().run().join().toBytes();
    }

    /** A random read followed through all its pages: every page's bytes, one after another. */
    private static byte[] randomRead(Random r) throws Exception {
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        for (int i = 0, n = 20 + r.nextInt(150); i < n; i++) rows.add(person(r, i));
        ReadView view = view(POLICIES.get(r.nextInt(POLICIES.size())));
        int storePage = 1 + r.nextInt(40);
        Integer limit = r.nextInt(3) == 0 ? 1 + r.nextInt(30) : null;
        long pageBytes = r.nextInt(3) == 0 ? 200 + r.nextInt(8_000) : Pager.PAGE_BYTES;
        Condition filter = switch (r.nextInt(4)) {
            case 0 -> new ExpressionContext(null, Map.of(":s", new AttributeValue.N("100000"))).condition("FilterExpression", "salary > :s");
            case 1 -> new ExpressionContext(null, null).condition("FilterExpression", "attribute_exists(tags)");
            default -> null;
        };
        Projection projection = r.nextInt(4) == 0 ? new ExpressionContext(null, null).projection("id, address.city, tags[1], ssn") : null;
        Select select = projection == null && r.nextInt(8) == 0 ? Select.COUNT : null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, AttributeValue> start = null;
        for (int pages = 0; pages < 200; pages++) {
            Pager.Builder b = Pager.builder(view, List.of("id"), (after, hint) -> CompletableFuture.completedFuture(storePage(rows, after, hint, storePage)))
                    .deadline(Long.MAX_VALUE / 2).limit(limit).pageBytes(pageBytes).filter(filter).projection(projection)
                    .select(select).exclusiveStartKey(start);
            byte[] bytes;
            Page page;
            try {
                page = b.build().run().join();
                bytes = page.toBytes();
            } catch (RuntimeException e) {
                out.write(("failed " + e.getClass().getSimpleName()).getBytes(StandardCharsets.UTF_8));
                break;
            }
            out.write(bytes);
            out.write('\n');
            start = page.lastEvaluatedKey();
            if (start == null) break;
        }
        return out.toByteArray();
    }

    /** The store's page after {@code after}, of {@code size} items or the hint, as the store's bytes read by StoreRead. */
    private static StorePage storePage(List<Map<String, AttributeValue>> rows, Map<String, AttributeValue> after, Integer hint, int size) {
        int from = 0;
        if (after != null) {
            while (from < rows.size() && !rows.get(from).get("id").equals(after.get("id"))) from++;
            from++;
        }
        int to = Math.min(rows.size(), from + Math.min(size, hint == null ? Integer.MAX_VALUE : hint));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("Items");
            for (int i = Math.min(from, to); i < to; i++) AttributeValueJson.write(g, rows.get(i));
            g.writeEndArray();
            g.writeNumberField("Count", to - from);
            if (to < rows.size()) {
                g.writeFieldName("LastEvaluatedKey");
                AttributeValueJson.write(g, Map.of("id", rows.get(to - 1).get("id")));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return StoreRead.parse(new UpstreamResponse(200, null, out.toByteArray()));
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
        if (r.nextInt(10) > 0) m.put("ssn", r.nextInt(8) == 0 ? new AttributeValue.S(text(r, 3))
                : new AttributeValue.S(String.format("%03d-%02d-%04d", r.nextInt(1000), r.nextInt(100), r.nextInt(10000))));
        if (r.nextInt(10) > 0) m.put("salary", switch (r.nextInt(6)) {
            case 0 -> new AttributeValue.N("-" + r.nextInt(99999) + ".25");
            case 1 -> new AttributeValue.S("lots");
            default -> new AttributeValue.N(Integer.toString(30_000 + r.nextInt(150_000)));
        });
        if (r.nextInt(12) > 0) m.put("region", new AttributeValue.S(r.nextBoolean() ? "eu" : "us"));
        switch (r.nextInt(6)) {
            case 0 -> { }
            case 1 -> m.put("address", new AttributeValue.L(List.of(new AttributeValue.S(text(r, 3)), new AttributeValue.N("7"))));
            default -> {
                Map<String, AttributeValue> a = new LinkedHashMap<>();
                if (r.nextBoolean()) a.put("street", new AttributeValue.S(r.nextInt(200) + " Long Street " + text(r, 3)));
                a.put("city", new AttributeValue.S("City " + text(r, 4)));
                if (r.nextBoolean()) a.put("zip", r.nextBoolean() ? new AttributeValue.S(Integer.toString(10_000 + r.nextInt(80_000)))
                        : new AttributeValue.N(Integer.toString(r.nextInt(99_999))));
                m.put("address", new AttributeValue.M(a));
            }
        }
        switch (r.nextInt(5)) {
            case 0 -> { }
            case 1 -> m.put("tags", new AttributeValue.L(List.of(new AttributeValue.S("t" + text(r, 2)), new AttributeValue.M(Map.of("k", new AttributeValue.S(text(r, 2)))))));
            case 2 -> m.put("tags", new AttributeValue.NS(List.of("1", Integer.toString(2 + r.nextInt(100)))));
            default -> m.put("tags", new AttributeValue.SS(List.of("customer", "tier-" + r.nextInt(3) + text(r, 2))));
        }
        if (r.nextBoolean()) m.put("notes", new AttributeValue.S("x".repeat(r.nextInt(300)) + text(r, 4)));
        if (r.nextInt(3) == 0) m.put("blob", new AttributeValue.B(new AttributeValue.Bytes(text(r, 5).getBytes(StandardCharsets.UTF_8))));
        if (r.nextInt(4) == 0) m.put("vip", new AttributeValue.Bool(r.nextBoolean()));
        if (r.nextInt(6) == 0) m.put("nothing", new AttributeValue.Null());
        return m;
    }
}
