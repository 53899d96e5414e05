package dev.weir.appliance;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounded work per request: the worst input of each kind, sent to the bundled store and to
 * weir in front of it, costs each a small multiple of a normal GetItem measured in the same
 * run. Before the bounds, a GetItem whose key was a number of a million digits held a store
 * thread for about 18 seconds; 2,000 nested parentheses overflowed a thread's stack after
 * seconds of parsing; a 4 KB ProjectionExpression of repeated names took seconds; set algebra
 * and substring search were quadratic.
 *
 * <p>The budget of a case is {@value #MULTIPLE} times the median of a normal GetItem (at
 * least {@value #FLOOR_MS} ms), plus {@value #CONTROL_MULTIPLE} times its <em>control</em>: the
 * same request without what makes it pathological, of the same size (a GetItem of the same
 * length refused for its key, a PutItem writing a set as large, a search for a pattern of the
 * same length that a naive search rejects at once). Reading a megabyte or writing a 300 KB set
 * is linear work that DynamoDB does too, and the control measures it on this machine in this
 * run; what the budget catches is work that grows faster than the request. The control and the
 * case are sent in turns, and each counts its best of up to {@value #ATTEMPTS} attempts, so a
 * pause of a loaded machine does not fail a case, while work that is really superlinear
 * (seconds) fails every attempt. The inputs are fixed (seeded), and every case also checks the
 * answer: the refusal with DynamoDB's error, or the success.
 */
class CpuBudgetEndToEndTest {
    static final int MULTIPLE = 20;
    static final long FLOOR_MS = 50;
    static final int CONTROL_MULTIPLE = 3;
    static final int ATTEMPTS = 4;
    private static final String TABLE = "budget";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path home;
    static ApplianceProcess weir;
    static Target viaWeir;
    static Target store;

    /** Where requests go, signed with the key pair that place accepts. */
    record Target(String name, String endpoint, int port, SigV4Signer signer) {
        HttpResponse<String> send(String op, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(
                    Map.entry("Host", "127.0.0.1:" + port),
                    Map.entry("Content-Type", "application/x-amz-json-1.0"),
                    Map.entry("X-Amz-Target", "DynamoDB_20120810." + op)));
            List<Map.Entry<String, String>> signed = signer.sign("POST", "/", headers, bytes, Instant.now());
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + "/"))
                    .timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                    .header("Content-Type", "application/x-amz-json-1.0").header("X-Amz-Target", "DynamoDB_20120810." + op);
            for (Map.Entry<String, String> h : signed) b.header(h.getKey(), h.getValue());
            try {
                return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(name + " " + op + " failed: " + e, e);
            }
        }
    }

    /**
     * One worst input: the request, what the answer must say (a status and a text in the body),
     * and its control (the request without what makes it pathological, of the same size).
     */
    record Case(String name, String op, Supplier<String> body, int status, String says, Control control) {
        Case(String name, String op, Supplier<String> body, int status, String says) {
            this(name, op, body, status, says, null);
        }
    }

    /** A control request and the status it gets. */
    record Control(String op, String body, int status) {}

    @BeforeAll
    static void start() throws Exception {
        weir = ApplianceProcess.start(home);
        viaWeir = new Target("weir", weir.endpoint(), weir.proxyPort,
                new SigV4Signer(new Credentials("AKIAWEIRADMIN0000001", "weir-admin-secret"), "us-east-1", "dynamodb"));
        store = new Target("store", "http://127.0.0.1:" + weir.storePort, weir.storePort,
                new SigV4Signer(new Credentials(ApplianceProcess.UPSTREAM_KEY, ApplianceProcess.UPSTREAM_SECRET), "us-east-1", "dynamodb"));
        ok(viaWeir.send("CreateTable", """
                {"TableName":"budget","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"N"}],
                 "KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}"""));
        ok(viaWeir.send("PutItem", "{\"TableName\":\"budget\",\"Item\":{\"k\":{\"N\":\"1\"},\"name\":{\"S\":\"Ada\"},"
                + "\"n\":{\"N\":\"7\"}}}"));
        // a number set of 40,000 members
        ok(viaWeir.send("PutItem", "{\"TableName\":\"budget\",\"Item\":{\"k\":{\"N\":\"3\"},\"ns\":"
                + numberSet(0, 40_000) + "}}"));
        // items that are only read: a string of 300 KB that a search pattern almost matches everywhere, and a set
        ok(viaWeir.send("CreateTable", """
                {"TableName":"reads","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"N"}],
                 "KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}"""));
        ok(viaWeir.send("PutItem", "{\"TableName\":\"reads\",\"Item\":{\"k\":{\"N\":\"1\"},\"s\":{\"S\":\""
                + "a".repeat(300_000) + "\"}}}"));
        ok(viaWeir.send("PutItem", "{\"TableName\":\"reads\",\"Item\":{\"k\":{\"N\":\"2\"},\"ns\":"
                + numberSet(0, 40_000) + "}}"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (weir != null) weir.close();
    }

    @Test
    void theWorstInputOfEachKindCostsASmallMultipleOfANormalGetItem() {
        List<Case> cases = cases();
        List<String> report = new ArrayList<>();
        List<String> over = new ArrayList<>();
        for (Target target : List.of(store, viaWeir)) {
            long normal = normalGetItemMillis(target);
            report.add(String.format(Locale.ROOT, "%-6s normal GetItem: median %d ms", target.name(), normal));
            for (Case c : cases) {
                String body = c.body().get();
                Control control = c.control() != null ? c.control() : sameSizeGetItem(body.length());
                // the control and the case in turns, so that both see the machine as it is at the time
                long controlMs = Long.MAX_VALUE, best = Long.MAX_VALUE, budget = 0;
                for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                    controlMs = Math.min(controlMs, time(target, control.op(), control.body(), control.status(), null));
                    best = Math.min(best, time(target, c.op(), body, c.status(), c.says()));
                    budget = Math.max(MULTIPLE * normal, FLOOR_MS) + CONTROL_MULTIPLE * controlMs;
                    if (best <= budget) break;
                }
                report.add(String.format(Locale.ROOT, "%-6s %-60s %8d bytes %6d ms (control %4d ms, budget %4d ms)",
                        target.name(), c.name(), body.length(), best, controlMs, budget));
                if (best > budget) over.add(target.name() + " " + c.name() + ": " + best + " ms > " + budget + " ms");
            }
        }
        System.out.println("CPU budget per request:\n  " + String.join("\n  ", report));
        assertTrue(over.isEmpty(), "over budget: " + over + "\n" + String.join("\n", report));
    }

    private static List<Case> cases() {
        String million = "1".repeat(1_000_000);
        // one small write: what a write costs (a sync of the log) besides reading its request
        Control smallWrite = new Control("PutItem", put(11, "{\"S\":\"x\"}"), 200);
        // the same update of another item, without set algebra: the operand read, checked and written
        Control writeSet = new Control("UpdateItem", "{\"TableName\":\"budget\",\"Key\":{\"k\":{\"N\":\"4\"}},"
                + "\"UpdateExpression\":\"SET ns = :v\",\"ExpressionAttributeValues\":{\":v\":" + numberSet(20_000, 60_000) + "}}", 200);
        return List.of(
                new Case("GetItem, key of 38 digits (the longest allowed)", "GetItem",
                        () -> key("9".repeat(38)), 200, "{}"),
                new Case("GetItem, key of a million digits", "GetItem",
                        () -> key(million), 400, "Number overflow. Attempting to store a number with magnitude larger than supported range"),
                new Case("GetItem, key of a million digits after the point", "GetItem",
                        () -> key("0." + million), 400, "Attempting to store more than 38 significant digits in a Number"),
                new Case("GetItem, key of a million zeros then 1", "GetItem",
                        () -> key("0".repeat(1_000_000) + "1"), 200, "Ada"),
                new Case("GetItem, key 1e(a million zeros)0", "GetItem",
                        () -> key("1e" + "0".repeat(1_000_000) + "0"), 200, "Ada"),
                new Case("PutItem, a document 32 levels deep (the deepest allowed)", "PutItem",
                        () -> put(10, nested(31)), 200, "{}", smallWrite),
                new Case("PutItem, a document 33 levels deep", "PutItem",
                        () -> put(10, nested(32)), 400, "Nesting Levels have exceeded supported limits", smallWrite),
                new Case("PutItem, JSON 5,000 levels deep", "PutItem",
                        () -> put(10, "{\"L\":[".repeat(2_500) + "]}".repeat(2_500)), 400, "SerializationException"),
                new Case("UpdateItem, ADD 40,000 numbers to a set of 40,000", "UpdateItem",
                        () -> update("ADD ns :v", numberSet(20_000, 60_000)), 200, "{}", writeSet),
                new Case("UpdateItem, DELETE 40,000 numbers from a set of 60,000", "UpdateItem",
                        () -> update("DELETE ns :v", numberSet(20_000, 60_000)), 200, "{}", writeSet),
                new Case("Query, a number set of 40,000 compared with one in another order", "Query",
                        () -> setEquals(numberSet(0, 40_000, 15L)), 200, "\"Count\":1",
                        // a set one member short: the comparison stops at the sizes
                        new Control("Query", setEquals(numberSet(1, 40_000, 15L)), 200)),
                new Case("Scan, contains() of a 150 KB pattern in a 300 KB string", "Scan",
                        () -> contains("a".repeat(150_000) + "b"), 200, "\"Count\":0",
                        new Control("Scan", contains("b" + "a".repeat(150_000)), 200)),
                new Case("Query, FilterExpression of 300 operators", "Query",
                        () -> query("n < :v" + " or n < :v".repeat(149)), 200, "\"Count\":1"),
                new Case("Query, FilterExpression of 301 operators", "Query",
                        () -> query("n < :v" + " or n < :v".repeat(150)), 400, "operator count: 301"),
                new Case("Query, FilterExpression nested 300 parentheses deep", "Query",
                        () -> query("( ".repeat(300) + "n < :v" + " )".repeat(300)), 200, "\"Count\":1"),
                new Case("Query, FilterExpression nested 2,000 parentheses deep", "Query",
                        () -> query("(".repeat(2_000) + "n < :v" + ")".repeat(2_000)), 400, "redundant parentheses"),
                new Case("Query, FilterExpression of 1 MB", "Query",
                        () -> query("n < :v" + " ".repeat(1 << 20)), 400, "Expression size has exceeded the maximum allowed size"),
                new Case("GetItem, ProjectionExpression of 2,000 repeated names", "GetItem",
                        () -> "{\"TableName\":\"budget\",\"Key\":{\"k\":{\"N\":\"1\"}},\"ProjectionExpression\":\"n"
                                + ",n".repeat(2_000) + "\"}", 400, "Two document paths overlap"),
                new Case("BatchGetItem, 100 keys (the most allowed)", "BatchGetItem",
                        () -> batchGet(100), 200, "Ada"),
                new Case("BatchGetItem, 10,000 keys", "BatchGetItem",
                        () -> batchGet(10_000), 400, "ValidationException"),
                new Case("BatchWriteItem, 25 puts (the most allowed)", "BatchWriteItem",
                        () -> batchWrite(25), 200, "UnprocessedItems", smallWrite),
                new Case("BatchWriteItem, 20,000 deletes", "BatchWriteItem",
                        () -> batchWrite(20_000), 400, "ValidationException"),
                new Case("TransactWriteItems, 100 condition checks (the most allowed)", "TransactWriteItems",
                        () -> transact(100), 200, "{}", new Control("BatchGetItem", batchGet(100), 200)),
                new Case("TransactWriteItems, 5,000 condition checks", "TransactWriteItems",
                        () -> transact(5_000), 400, "ValidationException"));
    }

    /** The time of one send, answered with {@code status} and, when given, a body that says {@code says}. */
    private static long time(Target target, String op, String body, int status, String says) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = target.send(op, body);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(status, r.statusCode(), target.name() + " " + op + ": " + head(r.body()));
        if (says != null) assertTrue(r.body().contains(says), target.name() + " " + op + ": " + head(r.body()));
        return ms;
    }

    /** A GetItem of {@code size} bytes that reads its body and is refused for its key (an attribute the schema has not). */
    private static Control sameSizeGetItem(int size) {
        String head = "{\"TableName\":\"budget\",\"Key\":{\"k\":{\"N\":\"1\"},\"pad\":{\"S\":\"";
        String tail = "\"}}}";
        return new Control("GetItem", head + "p".repeat(Math.max(1, size - head.length() - tail.length())) + tail, 400);
    }

    /** The median of eleven GetItems of a small item, after five to warm the path. */
    private static long normalGetItemMillis(Target target) {
        long[] ms = new long[11];
        for (int i = -5; i < ms.length; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = target.send("GetItem", key("1"));
            assertEquals(200, r.statusCode(), r.body());
            if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(ms);
        return Math.max(1, ms[ms.length / 2]);
    }

    private static String key(String number) {
        return "{\"TableName\":\"budget\",\"Key\":{\"k\":{\"N\":\"" + number + "\"}}}";
    }

    private static String put(int k, String value) {
        return "{\"TableName\":\"budget\",\"Item\":{\"k\":{\"N\":\"" + k + "\"},\"doc\":" + value + "}}";
    }

    /** A map {@code levels} maps deep under the attribute (which is level 1). */
    private static String nested(int levels) {
        return "{\"M\":{\"a\":".repeat(levels) + "{\"S\":\"x\"}" + "}}".repeat(levels);
    }

    private static String update(String expression, String value) {
        return "{\"TableName\":\"budget\",\"Key\":{\"k\":{\"N\":\"3\"}},\"UpdateExpression\":\"" + expression
                + "\",\"ExpressionAttributeValues\":{\":v\":" + value + "}}";
    }

    private static String setEquals(String set) {
        return "{\"TableName\":\"reads\",\"KeyConditionExpression\":\"k = :k\",\"FilterExpression\":\"ns = :v\","
                + "\"Select\":\"COUNT\",\"ExpressionAttributeValues\":{\":k\":{\"N\":\"2\"},\":v\":" + set + "}}";
    }

    private static String contains(String pattern) {
        return "{\"TableName\":\"reads\",\"FilterExpression\":\"contains(s, :p)\",\"ExpressionAttributeValues\":"
                + "{\":p\":{\"S\":\"" + pattern + "\"}}}";
    }

    private static String query(String filter) {
        return "{\"TableName\":\"budget\",\"KeyConditionExpression\":\"k = :k\",\"FilterExpression\":\"" + filter
                + "\",\"ExpressionAttributeValues\":{\":k\":{\"N\":\"1\"},\":v\":{\"N\":\"100\"}}}";
    }

    private static String batchGet(int keys) {
        StringBuilder b = new StringBuilder("{\"RequestItems\":{\"budget\":{\"Keys\":[");
        for (int i = 0; i < keys; i++) b.append(i == 0 ? "" : ",").append("{\"k\":{\"N\":\"").append(i == 0 ? 1 : 1000 + i).append("\"}}");
        return b.append("]}}}").toString();
    }

    private static String batchWrite(int requests) {
        StringBuilder b = new StringBuilder("{\"RequestItems\":{\"budget\":[");
        for (int i = 0; i < requests; i++) {
            b.append(i == 0 ? "" : ",");
            if (requests <= 25) b.append("{\"PutRequest\":{\"Item\":{\"k\":{\"N\":\"").append(2000 + i).append("\"}}}}");
            else b.append("{\"DeleteRequest\":{\"Key\":{\"k\":{\"N\":\"").append(2000 + i).append("\"}}}}");
        }
        return b.append("]}}").toString();
    }

    private static String transact(int checks) {
        StringBuilder b = new StringBuilder("{\"TransactItems\":[");
        for (int i = 0; i < checks; i++) {
            b.append(i == 0 ? "" : ",").append("{\"ConditionCheck\":{\"TableName\":\"budget\",\"Key\":{\"k\":{\"N\":\"")
                    .append(5000 + i).append("\"}},\"ConditionExpression\":\"attribute_not_exists(k)\"}}");
        }
        return b.append("]}").toString();
    }

    /** A number set of the integers from {@code from} (inclusive) to {@code to}, in a seeded order, some written with a fraction. */
    private static String numberSet(int from, int to) {
        return numberSet(from, to, 14L);
    }

    private static String numberSet(int from, int to, long seed) {
        List<Integer> all = new ArrayList<>();
        for (int i = from; i < to; i++) all.add(i);
        java.util.Collections.shuffle(all, new Random(seed));
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < all.size(); i++) b.append(i == 0 ? "\"" : ",\"").append(all.get(i)).append(i % 7 == 0 ? ".0\"" : "\"");
        return "{\"NS\":" + b.append(']') + "}";
    }

    private static void ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), head(r.body()));
    }

    private static String head(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
