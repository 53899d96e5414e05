package dev.weir.appliance;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The leak hunt: hidden fields hold unique canary strings; random policies hide random fields
 * and rows from the role {@code hunter}; random requests of every kind (reads, writes,
 * filters, conditions, projections, copies, return values, unsupported operations) go through
 * a real weir process. No canary of a hidden field or a hidden row may appear in any response
 * body, header or error, and no canary at all in weir's log or audit. Seeded (a failure names
 * its round, and the same seed replays it); raise {@code ROUNDS} (and {@code REQUESTS_PER_POLICY})
 * for a longer hunt. The model-based, multi-principal hunt is {@code leakhunt.LeakHuntTest}; this
 * one checks what only a real process shows: weir's log and audit file.
 */
class LeakHuntEndToEndTest {
    private static final List<String> FIELDS = List.of("pub", "sec1", "sec2", "lst", "tags");
    private static final int ITEMS = 6;
    private static final int REQUESTS_PER_POLICY = 25;
    private static final int ROUNDS = 6;
    private static final long SEED = 20261127L;
    private static final List<String> HIDEABLE = List.of("sec1", "sec2", "lst", "tags");
    private static final List<String> ACTIONS = List.of("remove", "null", "hash", "show_first(3)", "show_last(2)");
    private static Path home;
    private static Path policies;
    private static ApplianceProcess weir;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static int reloads;

    @BeforeAll
    static void start() throws Exception {
        home = Files.createTempDirectory("weir-leakhunt-");
        policies = Files.createDirectories(home.resolve("policies"));
        Files.writeString(policies.resolve("hunt.weir"), policy(Set.of(), Map.of(), null));
        Path principals = home.resolve("principals.yaml");
        Files.writeString(principals, """
                principals:
                  - {name: admin, access_key_id: AKIAHUNTADMIN0000001, secret_access_key: hunt-admin-secret, roles: [admin]}
                  - {name: hunter, access_key_id: AKIAHUNTHUNTER000001, secret_access_key: hunt-hunter-secret, roles: [hunter]}
                """);
        weir = ApplianceProcess.startWith(home, policies, principals);
        send("admin", "CreateTable", "{\"TableName\":\"vault\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
                + "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]}");
        for (int i = 0; i < ITEMS; i++) seed(i);
    }

    @AfterAll
    static void stop() throws Exception {
        if (weir == null) return;
        weir.stop();
        String everything = String.join("\n", weir.output()) + "\n" + Files.readString(weir.auditFile());
        assertFalse(everything.contains("CANARY"), "a canary reached weir's log or audit");
    }

    /** Rounds of a random policy for the hunter, then random requests under it. */
    @Test
    void noHiddenValueEverLeaves() throws Exception {
        Random rounds = new Random(SEED);
        for (int round = 0; round < ROUNDS; round++) {
            Set<String> hidden = new LinkedHashSet<>();
            int size = 1 + rounds.nextInt(HIDEABLE.size());
            while (hidden.size() < size) hidden.add(pick(rounds, HIDEABLE));
            Map<String, String> how = new java.util.HashMap<>();
            for (String f : FIELDS) how.put(f, pick(rounds, ACTIONS));
            boolean rowFilter = rounds.nextBoolean();
            long requestSeed = rounds.nextLong();
            huntOneRound("round " + round + " of seed " + SEED, hidden, how, rowFilter, requestSeed);
        }
    }

    private void huntOneRound(String round, Set<String> hidden, Map<String, String> how, boolean rowFilter,
                              long requestSeed) throws Exception {
        Integer visibleRows = rowFilter ? 3 : null;
        applyPolicy(policy(hidden, how, visibleRows));
        // Each round starts from the seeded items: what a caller copied or wrote under an earlier
        // policy (say sec2 into pub while sec2 was visible) is no leak under this one.
        for (int i = 0; i < ITEMS; i++) seed(i);
        Random r = new Random(requestSeed);
        for (int n = 0; n < REQUESTS_PER_POLICY; n++) {
            String[] req = randomRequest(r);
            HttpResponse<String> resp = send("hunter", req[0], req[1]);
            String seen = resp.body() + " " + resp.headers().map();
            for (int i = 0; i < ITEMS; i++) {
                for (String f : FIELDS) {
                    boolean rowHidden = visibleRows != null && i >= visibleRows;
                    if ((hidden.contains(f) || rowHidden) && seen.contains(canary(f, i))) {
                        fail(round + ": leak of " + canary(f, i) + " by " + req[0] + " " + req[1] + "\n -> "
                                + resp.statusCode() + " " + resp.body());
                    }
                }
            }
        }
    }

    private static String policy(Set<String> hidden, Map<String, String> how, Integer visibleRows) {
        StringBuilder sb = new StringBuilder("role admin\nrole hunter\n@id(\"admin-all\") allow admin on table * op *\n");
        sb.append("@id(\"hunt\") allow hunter on table vault op [GetItem, Query, Scan, PutItem, UpdateItem, DeleteItem, BatchGetItem, TransactGetItems, BatchWriteItem, TransactWriteItems]\n");
        if (visibleRows != null) {
            sb.append("  rows where item.pub in [");
            for (int i = 0; i < visibleRows; i++) sb.append(i == 0 ? "" : ", ").append('"').append(canary("pub", i)).append('"');
            sb.append("]\n");
        }
        for (String f : hidden) {
            String a = how.get(f);
            sb.append(a.equals("remove") || a.equals("null") ? "  " + a + " " + f + "\n"
                    : a.equals("hash") ? "  mask " + f + " hash\n" : "  mask " + f + " " + a + "\n");
        }
        return sb.toString();
    }

    private static void applyPolicy(String text) throws Exception {
        Files.writeString(policies.resolve("hunt.weir"), text);
        int want = ++reloads;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (countReloads() < want) {
            if (System.nanoTime() > deadline) throw new AssertionError("policy was not reloaded:\n" + text);
            Thread.sleep(50);
        }
    }

    private static long countReloads() throws Exception {
        return Files.readAllLines(weir.auditFile()).stream().filter(l -> l.contains("\"weir:PolicyReload\"")).count();
    }

    private static String[] randomRequest(Random r) {
        String f = pick(r, FIELDS), g = pick(r, FIELDS);
        int i = r.nextInt(ITEMS);
        String key = "{\"id\":{\"S\":\"item-" + i + "\"}}";
        String guess = "{\":v\":{\"S\":\"" + (r.nextBoolean() ? canary(f, i) : "x") + "\"}}";
        String cond = switch (r.nextInt(6)) {
            case 0 -> f + " = :v";
            case 1 -> "begins_with(" + f + ", :v)";
            case 2 -> "contains(" + f + ", :v)";
            case 3 -> "attribute_exists(" + f + ") AND :v = :v";
            case 4 -> "size(" + f + ") > :n AND :v = :v";
            default -> "NOT " + f + " <> :v";
        };
        String values = cond.contains(":n") ? guess.replace("}}", "},\":n\":{\"N\":\"1\"}}") : guess;
        String legacyCond = "{\"" + f + "\":{\"ComparisonOperator\":\"" + pick(r, List.of("EQ", "BEGINS_WITH", "CONTAINS"))
                + "\",\"AttributeValueList\":[{\"S\":\"" + (r.nextBoolean() ? canary(f, i) : "x") + "\"}]}}";
        return switch (r.nextInt(20)) {
            case 19 -> new String[] {"Scan", "{\"TableName\":\"vault\",\"ProjectionExpression\":\"" + f + ", " + g
                    + "\",\"Limit\":" + (1 + r.nextInt(ITEMS)) + (r.nextBoolean() ? "" : ",\"FilterExpression\":\"" + cond
                    + "\",\"ExpressionAttributeValues\":" + values) + "}"};
            // Written values are never canaries: a caller writing a canary it already knows is no leak.
            case 17 -> new String[] {"UpdateItem", "{\"TableName\":\"vault\",\"Key\":" + key + ",\"UpdateExpression\":\"SET "
                    + g + " = :w\",\"ConditionExpression\":\"" + cond + "\",\"ExpressionAttributeValues\":"
                    + values.replace("{\":v\"", "{\":w\":{\"S\":\"written\"},\":v\"")
                    + ",\"ReturnValues\":\"" + pick(r, List.of("ALL_OLD", "ALL_NEW", "UPDATED_OLD", "NONE")) + "\"}"};
            case 18 -> new String[] {"TransactWriteItems", "{\"TransactItems\":[{\"Delete\":{\"TableName\":\"vault\","
                    + "\"Key\":" + key + "}},{\"Update\":{\"TableName\":\"vault\",\"Key\":{\"id\":{\"S\":\"item-"
                    + (i + 1) % ITEMS + "\"}},\"UpdateExpression\":\"SET " + g + " = :w\",\"ExpressionAttributeValues\":"
                    + "{\":w\":{\"S\":\"written\"}}}}]}"};
            case 13 -> new String[] {"Scan", "{\"TableName\":\"vault\",\"ScanFilter\":" + legacyCond + "}"};
            case 14 -> new String[] {"GetItem", "{\"TableName\":\"vault\",\"Key\":" + key + ",\"AttributesToGet\":[\""
                    + f + "\",\"" + g + "\"]}"};
            case 15 -> new String[] {"PutItem", "{\"TableName\":\"vault\",\"Item\":{\"id\":{\"S\":\"item-" + i
                    + "\"},\"pub\":{\"S\":\"new\"}},\"Expected\":" + legacyCond + ",\"ReturnValues\":\"ALL_OLD\"}"};
            case 16 -> new String[] {"UpdateItem", "{\"TableName\":\"vault\",\"Key\":" + key + ",\"AttributeUpdates\":{\""
                    + g + "\":{\"Action\":\"PUT\",\"Value\":{\"S\":\"x\"}}},\"Expected\":" + legacyCond
                    + ",\"ReturnValues\":\"ALL_OLD\"}"};
            case 10 -> new String[] {"TransactGetItems", "{\"TransactItems\":[{\"Get\":{\"TableName\":\"vault\",\"Key\":"
                    + key + "}},{\"Get\":{\"TableName\":\"vault\",\"Key\":{\"id\":{\"S\":\"item-" + r.nextInt(ITEMS)
                    + "\"}}}}]}"};
            case 11 -> new String[] {"TransactWriteItems", "{\"TransactItems\":[{\"ConditionCheck\":{\"TableName\":\"vault\","
                    + "\"Key\":" + key + ",\"ConditionExpression\":\"" + cond + "\",\"ExpressionAttributeValues\":" + values
                    + ",\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}}]}"};
            case 12 -> new String[] {"BatchWriteItem", "{\"RequestItems\":{\"vault\":[{\"PutRequest\":{\"Item\":{\"id\":"
                    + "{\"S\":\"item-" + i + "\"},\"" + f + "\":{\"S\":\"x\"}}}}]}}"};
            case 0 -> new String[] {"GetItem", "{\"TableName\":\"vault\",\"Key\":" + key + "}"};
            case 1 -> new String[] {"GetItem", "{\"TableName\":\"vault\",\"Key\":" + key + ",\"ProjectionExpression\":\""
                    + f + ", " + g + "\"}"};
            case 2 -> new String[] {"Scan", "{\"TableName\":\"vault\"}"};
            case 3 -> new String[] {"Scan", "{\"TableName\":\"vault\",\"FilterExpression\":\"" + cond
                    + "\",\"ExpressionAttributeValues\":" + values + "}"};
            case 4 -> new String[] {"Query", "{\"TableName\":\"vault\",\"KeyConditionExpression\":\"id = :k\","
                    + "\"FilterExpression\":\"" + cond + "\",\"ExpressionAttributeValues\":"
                    + values.replace("{\":v\"", "{\":k\":{\"S\":\"item-" + i + "\"},\":v\"") + "}"};
            case 5 -> new String[] {"UpdateItem", "{\"TableName\":\"vault\",\"Key\":" + key + ",\"UpdateExpression\":\"SET "
                    + g + " = " + f + "\",\"ReturnValues\":\"" + pick(r, List.of("ALL_OLD", "ALL_NEW", "UPDATED_NEW")) + "\"}"};
            case 6 -> new String[] {"PutItem", "{\"TableName\":\"vault\",\"Item\":{\"id\":{\"S\":\"item-" + i
                    + "\"},\"pub\":{\"S\":\"new\"}},\"ConditionExpression\":\"" + cond + "\",\"ExpressionAttributeValues\":"
                    + values + ",\"ReturnValues\":\"ALL_OLD\"}"};
            case 7 -> new String[] {"DeleteItem", "{\"TableName\":\"vault\",\"Key\":" + key + ",\"ConditionExpression\":\""
                    + cond + "\",\"ExpressionAttributeValues\":" + values + ",\"ReturnValues\":\"ALL_OLD\","
                    + "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}"};
            case 8 -> new String[] {"BatchGetItem", "{\"RequestItems\":{\"vault\":{\"Keys\":[" + key
                    + ",{\"id\":{\"S\":\"item-" + (i + 1) % ITEMS + "\"}}]}}}"};
            default -> new String[] {"Scan", "{\"TableName\":\"vault\",\"Select\":\"COUNT\",\"FilterExpression\":\""
                    + cond + "\",\"ExpressionAttributeValues\":" + values + "}"};
        };
    }

    private static void seed(int i) throws Exception {
        String item = "{\"id\":{\"S\":\"item-" + i + "\"},\"pub\":{\"S\":\"" + canary("pub", i) + "\"},"
                + "\"sec1\":{\"S\":\"" + canary("sec1", i) + "\"},"
                + "\"sec2\":{\"M\":{\"inner\":{\"S\":\"" + canary("sec2", i) + "\"}}},"
                + "\"lst\":{\"L\":[{\"S\":\"" + canary("lst", i) + "\"}]},"
                + "\"tags\":{\"SS\":[\"" + canary("tags", i) + "\"]}}";
        HttpResponse<String> r = send("admin", "PutItem", "{\"TableName\":\"vault\",\"Item\":" + item + "}");
        assertTrue(r.statusCode() == 200, r.body());
    }

    static String canary(String field, int item) {
        return "CANARY-" + field + "-" + item + "-q7z";
    }

    private static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    private static HttpResponse<String> send(String who, String op, String body) throws Exception {
        boolean admin = who.equals("admin");
        SigV4Signer signer = new SigV4Signer(new Credentials(admin ? "AKIAHUNTADMIN0000001" : "AKIAHUNTHUNTER000001",
                admin ? "hunt-admin-secret" : "hunt-hunter-secret"), "us-east-1", "dynamodb");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(
                Map.entry("Host", "127.0.0.1:" + weir.proxyPort),
                Map.entry("Content-Type", "application/x-amz-json-1.0"),
                Map.entry("X-Amz-Target", "DynamoDB_20120810." + op)));
        List<Map.Entry<String, String>> signed = signer.sign("POST", "/", headers, bytes, Instant.now());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(weir.endpoint() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", "application/x-amz-json-1.0").header("X-Amz-Target", "DynamoDB_20120810." + op);
        for (Map.Entry<String, String> h : signed) b.header(h.getKey(), h.getValue());
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
