package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.expr.Projection;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.Bool;
import dev.weir.protocol.model.AttributeValue.N;
import dev.weir.protocol.model.AttributeValue.S;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.upstream.SignedStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pager against real bundled stores, with seeded random tables, reads and pages.
 *
 * <p>Two stores hold the same visible rows (the same as the reader's view shows them: their
 * removed {@code secret} differs in size and content) and different hidden rows (other regions,
 * classified rows: different keys, counts, sizes, some large enough to end the store's 1 MB
 * pages) interleaved with them. A reader follows LastEvaluatedKey from the first page to the
 * last, with a random Limit, filter, Select, projection and page size, on the table (Query
 * forward and backward, Scan) and on a local secondary index ordered by a visible attribute.
 * <ul>
 *   <li>(a) the pages (bodies byte for byte: items, counts, keys) are the same on both stores;</li>
 *   <li>(b) they are exactly the pages the rules give over the visible items in the store's
 *       order: the items concatenated are the visible, filtered items as shown, and each page
 *       ends where Limit or the shown size ends it, with the key of its last visible item.</li>
 * </ul>
 */
class PagerStoreTest {
    private static final int TRIALS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static SignedStore storeA;
    static SignedStore storeB;

    @BeforeAll
    static void start() {
        storeA = new SignedStore(dir.resolve("a"));
        storeB = new SignedStore(dir.resolve("b"));
    }

    @AfterAll
    static void stop() {
        try {
            storeA.close();
        } finally {
            storeB.close();
        }
    }

    enum Kind { QUERY, INDEX, SCAN }

    record Read(String table, Kind kind, String pk, boolean forward, Integer limit, String filterText,
                Map<String, AttributeValue> filterValues, Select select, long pageBytes) {
        List<String> keyAttributes() {
            return kind == Kind.INDEX ? List.of("pk", "sk", "n") : List.of("pk", "sk");
        }

        Condition filter() {
            return filterText == null ? null : new ExpressionContext(null, filterValues).condition("FilterExpression", filterText);
        }

        Projection projection() {
            return select == Select.SPECIFIC_ATTRIBUTES
                    ? new ExpressionContext(Map.of("#nm", "name"), null).projection("sk, tag, #nm, secret") : null;
        }
    }

    @Test
    void pagesAreTheSameWhateverHiddenRowsLieBetweenAndFollowTheRules() {
        for (int trial = 0; trial < TRIALS; trial++) {
            long seed = 0x5eed_0000L + trial;
            Random random = new Random(seed);
            String table = "paged" + trial;
            boolean big = trial % 7 == 6;
            create(table);
            List<String> pks = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) pks.add("p" + i);
            List<Map<String, AttributeValue>> rowsA = new ArrayList<>();
            List<Map<String, AttributeValue>> rowsB = new ArrayList<>();
            for (String pk : pks) {
                Set<Integer> used = new HashSet<>();
                for (int i = 0, n = random.nextInt(26); i < n; i++) {
                    int sk = fresh(random, used);
                    long visibleSeed = random.nextLong();
                    rowsA.add(visibleRow(pk, sk, new Random(visibleSeed), random, big));
                    rowsB.add(visibleRow(pk, sk, new Random(visibleSeed), random, big));
                }
                for (int i = 0, n = random.nextInt(30); i < n; i++) rowsA.add(hiddenRow(pk, fresh(random, used), random, big));
                for (int i = 0, n = random.nextInt(30); i < n; i++) rowsB.add(hiddenRow(pk, fresh(random, used), random, big));
            }
            put(storeA, table, rowsA);
            put(storeB, table, rowsB);
            ReadView view = Views.view("reader", table);
            for (int r = 0; r < 6; r++) {
                Read read = read(table, pks, random, big);
                String where = "seed " + seed + ", " + read;
                List<String> pagesA = follow(storeA, view, read, where);
                List<String> pagesB = follow(storeB, view, read, where);
                assertEquals(pagesA, pagesB, "(a) the same pages whatever the hidden rows: " + where);
                assertEquals(expectedPages(view, read, where), pagesA, "(b) the pages the rules give: " + where);
            }
        }
    }

    /**
     * DynamoDB's page size, on the real store: 30 visible rows showing about 60 KB each make
     * two pages, whatever the hidden rows. In store B hidden rows of 350 KB lie between them,
     * so the store's own 1 MB pages end at quite other places than in store A.
     */
    @Test
    void pagesOfOneMegabyteOfShownItems() {
        String table = "megabyte";
        create(table);
        List<Map<String, AttributeValue>> rowsA = new ArrayList<>();
        List<Map<String, AttributeValue>> rowsB = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Map<String, AttributeValue> row = new LinkedHashMap<>();
            row.put("pk", new S("p"));
            row.put("sk", new N(Integer.toString(2 * i)));
            row.put("region", new S("eu"));
            row.put("txt", new S("v".repeat(60_000)));
            rowsA.add(row);
            Map<String, AttributeValue> withSecret = new LinkedHashMap<>(row);
            withSecret.put("secret", new S("s".repeat(200_000)));
            rowsB.add(withSecret);
            if (i % 3 == 0) {
                Map<String, AttributeValue> hidden = new LinkedHashMap<>(row);
                hidden.put("sk", new N(Integer.toString(2 * i + 1)));
                hidden.put("classified", new Bool(true));
                hidden.put("txt", new S("h".repeat(350_000)));
                rowsB.add(hidden);
            }
        }
        put(storeA, table, rowsA);
        put(storeB, table, rowsB);
        ReadView view = Views.view("reader", table);
        Read read = new Read(table, Kind.QUERY, "p", true, null, null, null, Select.ALL_ATTRIBUTES, Pager.PAGE_BYTES);
        List<String> pages = follow(storeA, view, read, "1 MB");
        assertEquals(pages, follow(storeB, view, read, "1 MB"));
        assertEquals(expectedPages(view, read, "1 MB"), pages);
        long shown = Pager.sizeOf(view.show(rowsA.getFirst()));
        int perPage = (int) ((Pager.PAGE_BYTES + shown - 1) / shown);
        assertEquals(2, pages.size());
        assertTrue(pages.getFirst().contains("\"Count\":" + perPage + ",\"ScannedCount\":" + perPage + ","), pages.getFirst().substring(0, 40));
        assertTrue(pages.getFirst().endsWith("\"LastEvaluatedKey\":{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"" + 2 * (perPage - 1) + "\"}}}"));
        assertTrue(pages.getLast().contains("\"Count\":" + (30 - perPage) + ","));
    }

    private static int fresh(Random random, Set<Integer> used) {
        int sk;
        do sk = random.nextInt(10_000); while (!used.add(sk));
        return sk;
    }

    /** Visible to the reader; {@code shown} draws what the view shows, {@code unseen} the removed secret (differs per store). */
    private static Map<String, AttributeValue> visibleRow(String pk, int sk, Random shown, Random unseen, boolean big) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("pk", new S(pk));
        m.put("sk", new N(Integer.toString(sk)));
        m.put("region", new S("eu"));
        if (shown.nextInt(5) > 0) m.put("n", new N(Integer.toString(shown.nextInt(8))));
        if (shown.nextBoolean()) m.put("tag", new S(shown.nextBoolean() ? "a" : "b"));
        m.put("name", new S("name-" + shown.nextInt(1000)));
        m.put("txt", new S("b".repeat(big ? shown.nextInt(60_000) : shown.nextInt(400))));
        if (shown.nextBoolean()) m.put("classified", new Bool(false));
        m.put("secret", new S("s".repeat(unseen.nextInt(big ? 50_000 : 3000))));
        return m;
    }

    /** Hidden from the reader: another region, or classified. */
    private static Map<String, AttributeValue> hiddenRow(String pk, int sk, Random random, boolean big) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("pk", new S(pk));
        m.put("sk", new N(Integer.toString(sk)));
        boolean otherRegion = random.nextBoolean();
        m.put("region", new S(otherRegion ? "us" : "eu"));
        if (!otherRegion) m.put("classified", new Bool(true));
        if (random.nextInt(5) > 0) m.put("n", new N(Integer.toString(random.nextInt(8))));
        if (random.nextBoolean()) m.put("tag", new S("a"));
        m.put("txt", new S("h".repeat(big && random.nextInt(3) == 0 ? random.nextInt(250_000) : random.nextInt(2000))));
        return m;
    }

    private static Read read(String table, List<String> pks, Random random, boolean big) {
        Kind kind = Kind.values()[random.nextInt(3)];
        Integer limit = random.nextInt(3) == 0 ? null : 1 + random.nextInt(random.nextBoolean() ? 3 : 12);
        String filter = null;
        Map<String, AttributeValue> values = null;
        switch (random.nextInt(6)) {
            case 0 -> {
                filter = "tag = :a";
                values = Map.of(":a", new S("a"));
            }
            case 1 -> {
                filter = "n > :x";
                values = Map.of(":x", new N(Integer.toString(random.nextInt(8))));
            }
            case 2 -> filter = "attribute_exists(tag)";
            case 3 -> {
                filter = "attribute_not_exists(n) OR size(txt) < :s";
                values = Map.of(":s", new N(Integer.toString(random.nextInt(400))));
            }
            default -> { }
        }
        Select select = switch (random.nextInt(4)) {
            case 0 -> Select.COUNT;
            case 1 -> Select.SPECIFIC_ATTRIBUTES;
            default -> Select.ALL_ATTRIBUTES;
        };
        long[] sizes = big ? new long[] {Pager.PAGE_BYTES, 100_000} : new long[] {Pager.PAGE_BYTES, 250, 600, 1500, 5000};
        return new Read(table, kind, pks.get(random.nextInt(pks.size())), random.nextBoolean(), limit, filter, values, select,
                sizes[random.nextInt(sizes.length)]);
    }

    /** The pages a client gets by following LastEvaluatedKey from the start, each as its response body. */
    private static List<String> follow(SignedStore store, ReadView view, Read read, String where) {
        List<String> pages = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            if (pages.size() > 2_000) fail("no end to the pages: " + where);
            Page page = Pager.builder(view, read.keyAttributes(), fetch(store, read))
                    .limit(read.limit()).exclusiveStartKey(start).filter(read.filter()).select(read.select())
                    .projection(read.projection()).pageBytes(read.pageBytes())
                    .deadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)).build().run().join();
            pages.add(new String(page.toBytes()));
            start = page.lastEvaluatedKey();
        } while (start != null);
        return pages;
    }

    /** The pages the rules give over the visible items, in the order the store reads them (read whole from store A). */
    private static List<String> expectedPages(ReadView view, Read read, String where) {
        List<Map<String, AttributeValue>> admitted = new ArrayList<>();
        for (Map<String, AttributeValue> item : readAll(storeA, read)) if (view.admits(item)) admitted.add(item);
        if (read.kind() == Kind.QUERY) {
            for (int i = 1; i < admitted.size(); i++) {
                int before = Integer.parseInt(((N) admitted.get(i - 1).get("sk")).value());
                int after = Integer.parseInt(((N) admitted.get(i).get("sk")).value());
                assertTrue(read.forward() ? before < after : before > after, "key order: " + where);
            }
        }
        Condition filter = read.filter();
        Projection projection = read.projection();
        List<String> pages = new ArrayList<>();
        int i = 0;
        while (true) {
            List<Map<String, AttributeValue>> items = read.select() == Select.COUNT ? null : new ArrayList<>();
            int count = 0;
            int evaluated = 0;
            long bytes = 0;
            Map<String, AttributeValue> lastKey = null;
            while (i < admitted.size()) {
                Map<String, AttributeValue> item = admitted.get(i++);
                Map<String, AttributeValue> shown = view.show(item);
                evaluated++;
                bytes += Pager.sizeOf(shown);
                if (filter == null || filter.test(item)) {
                    count++;
                    if (items != null) items.add(projection == null ? shown : projection.apply(shown));
                }
                if ((read.limit() != null && evaluated >= read.limit()) || bytes >= read.pageBytes()) {
                    lastKey = new LinkedHashMap<>();
                    for (String k : read.keyAttributes()) lastKey.put(k, item.get(k));
                    break;
                }
            }
            pages.add(new String(new Page(items, count, evaluated, lastKey).toBytes()));
            if (lastKey == null) return pages;
        }
    }

    /** Every item of the read, whole, in the store's order, read without a Limit. */
    private static List<Map<String, AttributeValue>> readAll(SignedStore store, Read read) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            StorePage page = fetch(store, read).page(start, null).join();
            all.addAll(page.items());
            start = page.lastEvaluatedKey();
        } while (start != null);
        return all;
    }

    /** The store read weir sends for the client's read: its key condition, index and direction; whole items. */
    private static Pager.Fetch fetch(SignedStore store, Read read) {
        return (start, limitHint) -> {
            ObjectNode body = JSON.createObjectNode().put("TableName", read.table());
            Operation op = read.kind() == Kind.SCAN ? Operation.Scan : Operation.Query;
            if (op == Operation.Query) {
                body.put("KeyConditionExpression", "pk = :p").put("ScanIndexForward", read.forward());
                body.putObject("ExpressionAttributeValues").set(":p", AttributeValueJson.toJson(new S(read.pk())));
                if (read.kind() == Kind.INDEX) body.put("IndexName", "byN");
            }
            if (start != null) body.set("ExclusiveStartKey", AttributeValueJson.toJson(start));
            if (limitHint != null) body.put("Limit", limitHint);
            return store.send(Target.of(op), bytes(body)).thenApply(r -> {
                JsonNode answer = tree(r.body());
                if (r.status() != 200) throw new IllegalStateException(op + " answered " + r.status() + ": " + answer);
                List<Map<String, AttributeValue>> items = new ArrayList<>();
                for (JsonNode item : answer.path("Items")) items.add(AttributeValueJson.item(item, "Items"));
                JsonNode lek = answer.get("LastEvaluatedKey");
                return new StorePage(items, lek == null ? null : AttributeValueJson.item(lek, "LastEvaluatedKey"));
            });
        };
    }

    private static void create(String table) {
        String json = """
                {"TableName":"%s","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
                   {"AttributeName":"n","AttributeType":"N"}],
                 "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
                 "LocalSecondaryIndexes":[{"IndexName":"byN","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
                   {"AttributeName":"n","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}""".formatted(table);
        storeA.call(Operation.CreateTable, json);
        storeB.call(Operation.CreateTable, json);
    }

    /** Writes the rows in batches (in an order unrelated to their keys). */
    private static void put(SignedStore store, String table, List<Map<String, AttributeValue>> rows) {
        List<Map<String, AttributeValue>> shuffled = new ArrayList<>(rows);
        java.util.Collections.shuffle(shuffled, new Random(rows.size()));
        for (int from = 0; from < shuffled.size(); ) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode requests = body.putObject("RequestItems").putArray(table);
            long bytes = 0;
            int to = from;
            while (to < shuffled.size() && to - from < 25 && bytes < 8_000_000) {
                bytes += Pager.sizeOf(shuffled.get(to));
                requests.addObject().putObject("PutRequest").set("Item", AttributeValueJson.toJson(shuffled.get(to++)));
            }
            JsonNode answer = store.call(Operation.BatchWriteItem, body.toString());
            assertEquals(0, answer.path("UnprocessedItems").size(), answer.toString());
            from = to;
        }
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
