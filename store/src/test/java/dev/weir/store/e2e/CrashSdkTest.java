package dev.weir.store.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash test: the store runs in a child JVM, clients write under load and remember every
 * acknowledged write and transaction, the child is killed with SIGKILL and restarted on the
 * same directory. Every acknowledged write must be there, and no transaction half applied:
 * transfers keep the sum of all balances, and paired puts are both present or both absent.
 */
class CrashSdkTest {
    private static final int ACCOUNTS = 20;
    private static final long INITIAL = 1000;

    @TempDir
    Path dir;

    private record Child(Process process, DynamoDbClient client) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            process.destroyForcibly();
        }
    }

    private Child startChild() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), StoreProcess.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("PORT ")) {
            // log lines before the port
        }
        if (line == null) throw new IOException("store process ended before listening");
        int port = Integer.parseInt(line.substring(5).trim());
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (out.readLine() != null) { /* drain */ }
            } catch (IOException ignored) {
                // the process died
            }
        });
        return new Child(p, SdkClients.to(new InetSocketAddress("127.0.0.1", port)));
    }

    @Test
    void acknowledgedWritesSurviveSigkillAndTransactionsAreAtomic() throws Exception {
        Set<String> acknowledgedPuts = ConcurrentHashMap.newKeySet();
        Set<Integer> acknowledgedPairs = ConcurrentHashMap.newKeySet();
        Set<Integer> attemptedPairs = ConcurrentHashMap.newKeySet();
        try (Child child = startChild()) {
            DynamoDbClient ddb = child.client();
            for (String t : List.of("items", "accounts")) {
                ddb.createTable(b -> b.tableName(t).billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build()));
            }
            for (int a = 0; a < ACCOUNTS; a++) {
                String id = "acct-" + a;
                ddb.putItem(b -> b.tableName("accounts").item(Map.of("id", AttributeValue.fromS(id),
                        "balance", AttributeValue.fromN(Long.toString(INITIAL)))));
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int client = c;
                clients.add(Thread.ofPlatform().start(() -> load(ddb, client, stop, acknowledgedPuts, acknowledgedPairs, attemptedPairs)));
            }
            long deadline = System.nanoTime() + 8_000_000_000L;
            Thread.sleep(1000);
            while (acknowledgedPuts.size() < 300 && System.nanoTime() < deadline) Thread.sleep(50);
            child.process().destroyForcibly();
            assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));
            stop.set(true);
            for (Thread t : clients) t.join();
        }
        assertTrue(acknowledgedPuts.size() > 50, "too little load: " + acknowledgedPuts.size());

        try (Child child = startChild()) {
            DynamoDbClient ddb = child.client();
            Set<String> present = new HashSet<>();
            for (var item : scanAll(ddb, "items")) present.add(item.get("id").s());
            for (String id : acknowledgedPuts) assertTrue(present.contains(id), "lost acknowledged write " + id);
            for (int pair : attemptedPairs) {
                boolean first = present.contains("pair-a-" + pair);
                boolean second = present.contains("pair-b-" + pair);
                assertEquals(first, second, "half-applied transaction " + pair);
                if (acknowledgedPairs.contains(pair)) assertTrue(first, "lost acknowledged transaction " + pair);
            }
            long sum = 0;
            for (var item : ddb.scan(b -> b.tableName("accounts")).items()) sum += Long.parseLong(item.get("balance").n());
            assertEquals(ACCOUNTS * INITIAL, sum);
        }
    }

    private static List<Map<String, AttributeValue>> scanAll(DynamoDbClient ddb, String table) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = ddb.scan(b -> b.tableName(table).exclusiveStartKey(from));
            all.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return all;
    }

    private static void load(DynamoDbClient ddb, int client, AtomicBoolean stop, Set<String> puts, Set<Integer> pairs,
                             Set<Integer> attempted) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; !stop.get(); i++) {
            try {
                switch (i % 3) {
                    case 0 -> {
                        String id = "put-" + client + "-" + i;
                        ddb.putItem(b -> b.tableName("items").item(Map.of("id", AttributeValue.fromS(id))));
                        puts.add(id);
                    }
                    case 1 -> {
                        int pair = client * 1_000_000 + i;
                        attempted.add(pair);
                        ddb.transactWriteItems(b -> b.transactItems(
                                TransactWriteItem.builder().put(p -> p.tableName("items")
                                        .item(Map.of("id", AttributeValue.fromS("pair-a-" + pair)))).build(),
                                TransactWriteItem.builder().put(p -> p.tableName("items")
                                        .item(Map.of("id", AttributeValue.fromS("pair-b-" + pair)))).build()));
                        pairs.add(pair);
                    }
                    default -> {
                        int from = random.nextInt(ACCOUNTS);
                        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        Map<String, AttributeValue> amount = Map.of(":a", AttributeValue.fromN("7"));
                        ddb.transactWriteItems(b -> b.transactItems(
                                TransactWriteItem.builder().update(u -> u.tableName("accounts")
                                        .key(Map.of("id", AttributeValue.fromS("acct-" + from)))
                                        .updateExpression("SET balance = balance - :a").conditionExpression("balance >= :a")
                                        .expressionAttributeValues(amount)).build(),
                                TransactWriteItem.builder().update(u -> u.tableName("accounts")
                                        .key(Map.of("id", AttributeValue.fromS("acct-" + to)))
                                        .updateExpression("SET balance = balance + :a").expressionAttributeValues(amount)).build()));
                    }
                }
            } catch (SdkException e) {
                if (stop.get()) return;
                // a canceled transfer (balance too low) or the crash itself; unacknowledged either way
            }
        }
    }
}
