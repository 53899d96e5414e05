package dev.weir.store.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SIGKILL of the store (a child JVM) under write load with a stream enabled: after the
 * restart, every acknowledged write has its record, and no record exists for a write that did
 * not happen. Proof: replaying the stream (each key's records in sequence order) rebuilds
 * exactly the table's contents, and the unique puts acknowledged, present and recorded agree.
 */
class StreamsCrashSdkTest {
    private static final int HOT_KEYS = 30;

    @TempDir
    Path dir;

    private record Child(Process process, DynamoDbClient client, DynamoDbStreamsClient streams) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            streams.close();
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
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        return new Child(p, SdkClients.to(address), StreamReading.client(address));
    }

    @Test
    void aSigkilledStoreKeepsExactlyTheRecordsOfItsWrites() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        String arn;
        try (Child child = startChild()) {
            DynamoDbClient ddb = child.client();
            ddb.createTable(b -> b.tableName("events").billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("id").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
            arn = ddb.describeTable(b -> b.tableName("events")).table().latestStreamArn();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int client = c;
                clients.add(Thread.ofPlatform().start(() -> load(ddb, client, stop, acknowledged)));
            }
            long deadline = System.nanoTime() + 8_000_000_000L;
            Thread.sleep(1000);
            while (acknowledged.size() < 150 && System.nanoTime() < deadline) Thread.sleep(50);
            child.process().destroyForcibly();
            assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));
            stop.set(true);
            for (Thread t : clients) t.join();
        }
        assertTrue(acknowledged.size() > 30, "too little load: " + acknowledged.size());

        try (Child child = startChild()) {
            Map<String, Map<String, AttributeValue>> table = new HashMap<>();
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                var page = child.client().scan(b -> b.tableName("events").exclusiveStartKey(from));
                page.items().forEach(i -> table.put(i.get("id").s(), i));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);

            Map<String, Map<String, AttributeValue>> replayed = new HashMap<>();
            Set<String> inserted = new HashSet<>();
            for (Record r : StreamReading.bySequence(StreamReading.readAll(child.streams(), arn))) {
                String id = r.dynamodb().keys().get("id").s();
                if (r.eventName() == OperationType.REMOVE) replayed.remove(id);
                else replayed.put(id, r.dynamodb().newImage());
                if (r.eventName() == OperationType.INSERT) inserted.add(id);
            }
            assertEquals(table, replayed, "the stream replays to exactly the table");
            for (String id : acknowledged) {
                assertTrue(table.containsKey(id), "lost acknowledged write " + id);
                assertTrue(inserted.contains(id), "acknowledged write without its record " + id);
            }
            for (String id : inserted) {
                if (id.startsWith("u-")) assertTrue(table.containsKey(id), "a record of a write that did not happen: " + id);
            }
        }
    }

    /** Unique puts (remembered when acknowledged) and random changes to hot keys, by six clients. */
    private static void load(DynamoDbClient ddb, int client, AtomicBoolean stop, Set<String> acknowledged) {
        Random random = new Random(client * 7919L);
        for (int i = 0; !stop.get(); i++) {
            try {
                String hot = "hot-" + random.nextInt(HOT_KEYS);
                switch (i % 5) {
                    case 0 -> {
                        String id = "u-" + client + "-" + i;
                        ddb.putItem(b -> b.tableName("events").item(Map.of("id", AttributeValue.fromS(id))));
                        acknowledged.add(id);
                    }
                    case 1 -> ddb.putItem(b -> b.tableName("events").item(Map.of("id", AttributeValue.fromS(hot),
                            "v", AttributeValue.fromN(Integer.toString(random.nextInt(5))))));
                    case 2 -> ddb.updateItem(b -> b.tableName("events").key(Map.of("id", AttributeValue.fromS(hot)))
                            .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
                    case 3 -> ddb.deleteItem(b -> b.tableName("events").key(Map.of("id", AttributeValue.fromS(hot))));
                    default -> {
                        String other = "hot-" + random.nextInt(HOT_KEYS);
                        if (other.equals(hot)) continue;
                        ddb.transactWriteItems(b -> b.transactItems(
                                TransactWriteItem.builder().update(u -> u.tableName("events")
                                        .key(Map.of("id", AttributeValue.fromS(hot)))
                                        .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build(),
                                TransactWriteItem.builder().delete(d -> d.tableName("events")
                                        .key(Map.of("id", AttributeValue.fromS(other)))).build()));
                    }
                }
            } catch (SdkException e) {
                if (stop.get()) return;
                // the crash itself, or a transaction conflict: unacknowledged either way
            }
        }
    }
}
