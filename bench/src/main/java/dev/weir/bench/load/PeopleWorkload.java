package dev.weir.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The demo {@code people} table (key {@code id} S; name, email, ssn, salary N, region,
 * address M, prefs M, tags SS, notes), with a global secondary index {@code by-region} (hash
 * {@code region}, range {@code id}, all attributes projected) so that Query reads a real page
 * of the same table the demo policy guards. The request mix: GetItem of a random person,
 * PutItem replacing a random person with new values (same id and region, so the table and the
 * index keep their size), Query of one region from a random id on, {@code Limit 10}, Scan of a
 * page of {@code 25} items after a random key, and UpdateItem renaming a random person of
 * region eu and changing their language (a document path, {@code prefs.lang}) under
 * {@code attribute_exists(id)}. Both choices follow weir's rules for the demo policy's
 * analyst-writer (docs/enforcement.md, "Information flow" and "Conditions on writes"): a write
 * into a document path reads the document (whether it is a map), and the analyst may not read
 * {@code address} in the clear (its street is removed), so the update writes into
 * {@code prefs}, a map the analyst reads whole; and such a write (or a condition beyond the
 * key) is evaluated only on a row the caller's view shows, so on another region's person it
 * would fail with ConditionalCheckFailedException.
 */
public final class PeopleWorkload {
    public static final String TABLE = "people";
    public static final String INDEX = "by-region";
    static final String[] REGIONS = {"eu", "us", "apac", "latam"};
    private static final String[] CITIES = {"Berlin", "Lisbon", "Austin", "Osaka", "Lima", "Nairobi", "Oslo", "Pune"};
    private static final String[] STREETS = {"Main Street", "Harbour Road", "Linden Allee", "Rua Augusta", "Elm Lane"};
    private static final String[] LANGS = {"de", "pt", "en", "ja", "es", "sw", "no", "hi"};
    private static final String[] CONTACTS = {"email", "phone", "post"};
    private static final String[] TAGS = {"vip", "new", "churn-risk", "beta", "newsletter", "partner", "staff"};
    private static final int BATCH = 25;
    private static final int QUERY_LIMIT = 10;
    static final int SCAN_LIMIT = 25;
    /** The operations a mix may name (before the mixes below: they are parsed at class initialisation). */
    static final List<String> OPERATIONS = List.of("GetItem", "PutItem", "Query", "Scan", "UpdateItem", "ScanPage");

    private final ObjectMapper mapper;
    private final int items;
    private final int putPool;
    private final int queryPool;

    public PeopleWorkload(ObjectMapper mapper, int items) {
        if (items < 100) throw new IllegalArgumentException("at least 100 items");
        this.mapper = mapper;
        this.items = items;
        this.putPool = Math.min(2_000, items);
        this.queryPool = 1_000;
    }

    public int items() {
        return items;
    }

    public String describe() {
        return TABLE + " (" + items + " items, GSI " + INDEX + " on region+id); Query = one region from a random id, Limit "
                + QUERY_LIMIT + " on the GSI";
    }

    /** Creates the table and its index and waits until both are active. */
    public void createTable(DynamoCalls calls) {
        ObjectNode r = mapper.createObjectNode().put("TableName", TABLE).put("BillingMode", "PAY_PER_REQUEST");
        ArrayNode defs = r.putArray("AttributeDefinitions");
        defs.addObject().put("AttributeName", "id").put("AttributeType", "S");
        defs.addObject().put("AttributeName", "region").put("AttributeType", "S");
        r.putArray("KeySchema").addObject().put("AttributeName", "id").put("KeyType", "HASH");
        ObjectNode gsi = r.putArray("GlobalSecondaryIndexes").addObject().put("IndexName", INDEX);
        ArrayNode gsiKeys = gsi.putArray("KeySchema");
        gsiKeys.addObject().put("AttributeName", "region").put("KeyType", "HASH");
        gsiKeys.addObject().put("AttributeName", "id").put("KeyType", "RANGE");
        gsi.putObject("Projection").put("ProjectionType", "ALL");
        calls.require(Operation.CreateTable, r);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!active(calls.require(Operation.DescribeTable, mapper.createObjectNode().put("TableName", TABLE)))) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("table " + TABLE + " not active after 60 s");
            sleep(50);
        }
    }

    private static boolean active(JsonNode describe) {
        JsonNode t = describe.path("Table");
        if (!"ACTIVE".equals(t.path("TableStatus").asText())) return false;
        for (JsonNode i : t.path("GlobalSecondaryIndexes")) {
            if (!"ACTIVE".equals(i.path("IndexStatus").asText())) return false;
        }
        return true;
    }

    /** Writes every item with BatchWriteItem, {@code parallel} batches at a time; returns the seconds it took. */
    public double preload(DynamoCalls calls, int parallel) {
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
            List<Future<?>> done = new ArrayList<>();
            for (int from = 0; from < items; from += BATCH) {
                int start = from;
                done.add(pool.submit(() -> writeBatch(calls, start, Math.min(items, start + BATCH))));
            }
            for (Future<?> f : done) f.get();
        } catch (Exception e) {
            throw new IllegalStateException("preload failed: " + e.getMessage(), e);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private void writeBatch(DynamoCalls calls, int from, int to) {
        ObjectNode request = mapper.createObjectNode();
        ArrayNode writes = request.putObject("RequestItems").putArray(TABLE);
        for (int i = from; i < to; i++) writes.addObject().putObject("PutRequest").set("Item", item(i, 0));
        for (int attempt = 0; ; attempt++) {
            JsonNode answer = calls.require(Operation.BatchWriteItem, request);
            JsonNode unprocessed = answer.path("UnprocessedItems");
            if (unprocessed.isEmpty()) return;
            if (attempt == 20) throw new IllegalStateException("BatchWriteItem keeps leaving items unprocessed");
            request = mapper.createObjectNode();
            request.set("RequestItems", unprocessed);
            sleep(10L << Math.min(attempt, 6));
        }
    }

    /** Checks that the server answers the mix's requests as expected, before any load. */
    public void verify(DynamoCalls calls) {
        int i = items / 2 + 1;
        JsonNode got = calls.require(Operation.GetItem, getItem(i));
        if (!sameItem(item(i, 0), got.path("Item"))) {
            throw new IllegalStateException("GetItem " + id(i) + " returned " + got + ", not the preloaded item");
        }
        JsonNode page = calls.require(Operation.Query, query(0, 0));
        if (page.path("Count").asInt() != QUERY_LIMIT || page.path("Items").size() != QUERY_LIMIT) {
            throw new IllegalStateException("Query on " + INDEX + " returned " + page.path("Count") + " items, not "
                    + QUERY_LIMIT);
        }
        for (JsonNode item : page.path("Items")) {
            if (!REGIONS[0].equals(item.path("region").path("S").asText())) {
                throw new IllegalStateException("Query on " + INDEX + " returned an item of another region: " + item);
            }
        }
        ObjectNode put = putItem(i, 1);
        calls.require(Operation.PutItem, put);
        JsonNode again = calls.require(Operation.GetItem, getItem(i));
        if (!sameItem(put.path("Item"), again.path("Item"))) {
            throw new IllegalStateException("GetItem after PutItem returned " + again.path("Item"));
        }
        JsonNode scanned = calls.require(Operation.Scan, scan(0));
        if (scanned.path("Items").size() != SCAN_LIMIT) {
            throw new IllegalStateException("Scan returned " + scanned.path("Items").size() + " items, not " + SCAN_LIMIT);
        }
        calls.require(Operation.UpdateItem, updateItem(i, 2));
        JsonNode updated = calls.require(Operation.GetItem, getItem(i)).path("Item");
        if (!("Person " + i + " u2").equals(updated.path("name").path("S").asText())
                || !LANGS[(i + 2) % LANGS.length].equals(updated.path("prefs").path("M").path("lang").path("S").asText())) {
            throw new IllegalStateException("GetItem after UpdateItem returned " + updated);
        }
    }

    /** Checks that a proxy in front of the server {@code direct} reaches answers the same items (GetItem and a Query page). */
    public void verifySame(DynamoCalls proxy, DynamoCalls direct) {
        int i = items / 3 + 1;
        JsonNode a = proxy.require(Operation.GetItem, getItem(i)).path("Item");
        JsonNode b = direct.require(Operation.GetItem, getItem(i)).path("Item");
        if (a.isMissingNode() || !sameItem(a, b)) throw new IllegalStateException("GetItem through the proxy returned " + a + ", directly " + b);
        JsonNode pa = proxy.require(Operation.Query, query(1, 0)).path("Items");
        JsonNode pb = direct.require(Operation.Query, query(1, 0)).path("Items");
        if (pa.size() != QUERY_LIMIT || pa.size() != pb.size()) {
            throw new IllegalStateException("Query through the proxy returned " + pa.size() + " items, directly " + pb.size());
        }
    }

    /**
     * Checks the demo-like read rule through weir: a person of the caller's region (eu) comes
     * back with the SSN masked to its last four digits, the e-mail hashed under the hash key
     * {@code bench}, salary and street removed, prefs shown; a person of another region does not come back
     * at all; the mix's UpdateItem and PutItem are accepted (the first writes into a document path).
     */
    public void verifyMasked(DynamoCalls proxy, DynamoCalls direct) {
        int eu = (items / 3) / REGIONS.length * REGIONS.length;
        JsonNode stored = direct.require(Operation.GetItem, getItem(eu)).path("Item");
        JsonNode seen = proxy.require(Operation.GetItem, getItem(eu)).path("Item");
        String ssn = stored.path("ssn").path("S").asText();
        boolean masked = seen.path("ssn").path("S").asText().equals("****" + ssn.substring(ssn.length() - 4))
                && seen.path("email").path("S").asText().matches("bench:[0-9a-f]{64}")
                && !seen.has("salary") && seen.path("address").path("M").has("city") && seen.path("prefs").path("M").has("lang")
                && !seen.path("address").path("M").has("street") && !seen.has("notes");
        if (!masked) throw new IllegalStateException("GetItem of " + id(eu) + " through weir is not masked as the policy says: " + seen);
        JsonNode other = proxy.require(Operation.GetItem, getItem(eu + 1)).path("Item");
        if (!other.isMissingNode() && !other.isEmpty()) {
            throw new IllegalStateException("GetItem of " + id(eu + 1) + " (region " + REGIONS[1] + ") through weir returned " + other
                    + ": the row filter did not hide it");
        }
        // The mix's writes must pass too: an update of a person of region eu, a put of another region's.
        ObjectNode update = updateItem(eu, 3);
        proxy.require(Operation.UpdateItem, update);
        JsonNode written = direct.require(Operation.GetItem, getItem(eu)).path("Item");
        if (!update.path("ExpressionAttributeValues").path(":l").equals(written.path("prefs").path("M").path("lang"))) {
            throw new IllegalStateException("UpdateItem of " + id(eu) + " through weir did not write prefs.lang: " + written);
        }
        proxy.require(Operation.PutItem, putItem(eu + 1, 4));
    }

    /** The default mix: GetItem 60% / PutItem 30% / Query 10%. */
    public static final Map<String, Double> DEFAULT_MIX = mixOf("GetItem=60,PutItem=30,Query=10");

    /** The mix of {@code ./weir bench} (all scenarios): reads, pages and both kinds of write. */
    public static final Map<String, Double> FULL_MIX = mixOf("GetItem=50,Query=15,Scan=5,PutItem=20,UpdateItem=10");

    /** Parses "GetItem=60,PutItem=30,Query=10" (operations of this workload, any positive weights). */
    public static Map<String, Double> mixOf(String text) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length != 2 || !OPERATIONS.contains(kv[0].trim())) {
                throw new IllegalArgumentException("bad mix " + text + ": want e.g. GetItem=60,PutItem=30,Query=10 (operations "
                        + String.join(", ", OPERATIONS) + ")");
            }
            double w;
            try {
                w = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad weight in mix " + text + ": " + kv[1].trim());
            }
            if (w > 0) weights.put(kv[0].trim(), w);
        }
        if (weights.isEmpty()) throw new IllegalArgumentException("empty mix " + text);
        return weights;
    }

    /** The mix with {@code weights}, every distinct request signed once by {@code signer}. */
    public RequestMix mix(RequestSigner signer, Map<String, Double> weights) {
        SplittableRandom random = new SplittableRandom(7);
        List<RequestMix.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Double> w : weights.entrySet()) {
            List<PreparedRequest> pool = new ArrayList<>();
            switch (w.getKey()) {
                case "GetItem" -> {
                    for (int i = 0; i < items; i++) pool.add(signer.prepare(Operation.GetItem, bytes(getItem(i))));
                }
                case "PutItem" -> {
                    for (int k = 0; k < putPool; k++) {
                        pool.add(signer.prepare(Operation.PutItem, bytes(putItem(random.nextInt(items), 1 + k))));
                    }
                }
                case "Query" -> {
                    for (int k = 0; k < queryPool; k++) {
                        pool.add(signer.prepare(Operation.Query, bytes(query(k % REGIONS.length,
                                random.nextInt(items - 8 * QUERY_LIMIT)))));
                    }
                }
                case "Scan" -> {
                    for (int k = 0; k < queryPool; k++) pool.add(signer.prepare(Operation.Scan, bytes(scan(random.nextInt(items)))));
                }
                case "ScanPage" -> {
                    for (int k = 0; k < queryPool; k++) {
                        pool.add(signer.prepare(Operation.Scan, bytes(scanPage(random.nextInt(items)))));
                    }
                }
                case "UpdateItem" -> {
                    for (int k = 0; k < putPool; k++) {
                        int eu = random.nextInt(items / REGIONS.length) * REGIONS.length;
                        pool.add(signer.prepare(Operation.UpdateItem, bytes(updateItem(eu, 1 + k))));
                    }
                }
                default -> throw new IllegalArgumentException("no such operation in this workload: " + w.getKey());
            }
            entries.add(new RequestMix.Entry(w.getKey(), w.getValue(), pool));
        }
        return new RequestMix(entries);
    }

    /**
     * The body of one request of {@code operation} (one of {@link #OPERATIONS}) as {@link #mix}
     * builds it, the {@code k}-th of a seeded sequence: for micro-benchmarks of the work done on
     * each request body (bench/jmh/RequestParseBenchmark), which must see what the load sends.
     */
    public byte[] sampleBody(String operation, int k) {
        SplittableRandom random = new SplittableRandom(7L * 1_000_003L + k);
        return bytes(switch (operation) {
            case "GetItem" -> getItem(random.nextInt(items));
            case "PutItem" -> putItem(random.nextInt(items), 1 + k);
            case "Query" -> query(k % REGIONS.length, random.nextInt(items - 8 * QUERY_LIMIT));
            case "Scan" -> scan(random.nextInt(items));
            case "ScanPage" -> scanPage(random.nextInt(items));
            case "UpdateItem" -> updateItem(random.nextInt(items / REGIONS.length) * REGIONS.length, 1 + k);
            default -> throw new IllegalArgumentException("no such operation in this workload: " + operation);
        });
    }

    /** Equal items, whatever order the server returns set members in. */
    private static boolean sameItem(JsonNode a, JsonNode b) {
        return normalized(a).equals(normalized(b));
    }

    private static JsonNode normalized(JsonNode node) {
        JsonNode copy = node.deepCopy();
        if (copy instanceof ObjectNode o && o.path("tags").path("SS").isArray()) {
            List<String> members = new ArrayList<>();
            o.path("tags").path("SS").forEach(m -> members.add(m.asText()));
            members.sort(null);
            ArrayNode sorted = ((ObjectNode) o.get("tags")).putArray("SS");
            members.forEach(sorted::add);
        }
        return copy;
    }

    static String id(int i) {
        return String.format("p%06d", i);
    }

    ObjectNode getItem(int i) {
        ObjectNode r = mapper.createObjectNode().put("TableName", TABLE);
        r.putObject("Key").putObject("id").put("S", id(i));
        return r;
    }

    ObjectNode putItem(int i, int version) {
        ObjectNode r = mapper.createObjectNode().put("TableName", TABLE);
        r.set("Item", item(i, version));
        return r;
    }

    /** Items of region {@code region} with id from that of item {@code from} on. */
    ObjectNode query(int region, int from) {
        ObjectNode r = mapper.createObjectNode().put("TableName", TABLE).put("IndexName", INDEX)
                .put("KeyConditionExpression", "#r = :r AND #id >= :from").put("Limit", QUERY_LIMIT);
        r.putObject("ExpressionAttributeNames").put("#r", "region").put("#id", "id");
        ObjectNode values = r.putObject("ExpressionAttributeValues");
        values.putObject(":r").put("S", REGIONS[region]);
        values.putObject(":from").put("S", id(from));
        return r;
    }

    /** A page of {@value #SCAN_LIMIT} items after item {@code from}'s key (in the server's scan order). */
    ObjectNode scan(int from) {
        ObjectNode r = mapper.createObjectNode().put("TableName", TABLE).put("Limit", SCAN_LIMIT);
        r.putObject("ExclusiveStartKey").putObject("id").put("S", id(from));
        return r;
    }

    /**
     * A Scan with no Limit after item {@code from}'s key: a page as large as the store makes
     * (DynamoDB's 1 MB, or the rest of the table), for the line-rate phase, where bytes rather
     * than requests should dominate the cost ({@code ScanPage} in a mix).
     */
    ObjectNode scanPage(int from) {
        ObjectNode r = mapper.createObjectNode().put("TableName", TABLE);
        r.putObject("ExclusiveStartKey").putObject("id").put("S", id(from));
        return r;
    }

    /** Renames person {@code i} and changes their language, if they exist (a document path and a condition). */
    ObjectNode updateItem(int i, int version) {
        ObjectNode r = mapper.createObjectNode().put("TableName", TABLE)
                .put("UpdateExpression", "SET #n = :n, #p.#l = :l").put("ConditionExpression", "attribute_exists(#id)");
        r.putObject("Key").putObject("id").put("S", id(i));
        r.putObject("ExpressionAttributeNames").put("#n", "name").put("#p", "prefs").put("#l", "lang").put("#id", "id");
        ObjectNode values = r.putObject("ExpressionAttributeValues");
        values.putObject(":n").put("S", "Person " + i + " u" + version);
        values.putObject(":l").put("S", LANGS[(i + version) % LANGS.length]);
        return r;
    }

    /** Person {@code i} as preloaded (for benchmarks that make pages of the load's items). */
    public ObjectNode person(int i) {
        return item(i, 0);
    }

    /** Person {@code i}; {@code version} 0 is the preloaded one, later versions change every non-key value but the region. */
    ObjectNode item(int i, int version) {
        SplittableRandom r = new SplittableRandom(i * 1_000_003L + version);
        ObjectNode item = mapper.createObjectNode();
        item.putObject("id").put("S", id(i));
        item.putObject("name").put("S", "Person " + i + " v" + version);
        item.putObject("email").put("S", "person" + i + "@example.com");
        item.putObject("ssn").put("S", String.format("%03d-%02d-%04d", r.nextInt(1000), r.nextInt(100), r.nextInt(10000)));
        item.putObject("salary").put("N", Integer.toString(30_000 + r.nextInt(170_000)));
        item.putObject("region").put("S", REGIONS[i % REGIONS.length]);
        ObjectNode address = item.putObject("address").putObject("M");
        address.putObject("street").put("S", (1 + r.nextInt(200)) + " " + STREETS[r.nextInt(STREETS.length)]);
        address.putObject("city").put("S", CITIES[r.nextInt(CITIES.length)]);
        address.putObject("zip").put("S", String.format("%05d", r.nextInt(100_000)));
        ObjectNode prefs = item.putObject("prefs").putObject("M");
        prefs.putObject("lang").put("S", LANGS[r.nextInt(LANGS.length)]);
        prefs.putObject("contact").put("S", CONTACTS[r.nextInt(CONTACTS.length)]);
        ArrayNode tags = item.putObject("tags").putArray("SS");
        int first = r.nextInt(TAGS.length);
        tags.add(TAGS[first]);
        tags.add(TAGS[(first + 1 + r.nextInt(TAGS.length - 1)) % TAGS.length]);
        item.putObject("notes").put("S", "Customer since " + (2000 + r.nextInt(25))
                + ". Prefers e-mail contact; last reviewed in quarter " + (1 + r.nextInt(4))
                + ". Free text that policies may hide from some roles.");
        return item;
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
