package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.protocol.wire.Target;
import dev.weir.proxy.audit.AuditScope;
import dev.weir.proxy.enforce.Firewall;
import dev.weir.proxy.enforce.ProxyResponse;
import dev.weir.proxy.enforce.stream.UpstreamNumbers;
import dev.weir.proxy.identity.Identifier;
import dev.weir.proxy.identity.PrincipalDirectory;
import dev.weir.proxy.policy.PolicyHolder;
import dev.weir.proxy.policy.PolicySnapshot;
import dev.weir.proxy.transport.Transport;
import dev.weir.proxy.upstream.UpstreamClient;
import dev.weir.store.BundledStore;
import dev.weir.store.StoreOptions;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One world of the hunt, wired as {@code Appliance} wires weir: a real {@link BundledStore}
 * listening on loopback, a real {@link UpstreamClient} signing with weir's upstream
 * credentials, and a {@link Firewall} that requests are handed to directly, signed by their
 * principal. Its data lives on /dev/shm when there is one (a synced write costs nothing
 * there), and is deleted on close. Seeding and snapshots go straight to the store.
 */
final class World implements AutoCloseable {
    static final Credentials UPSTREAM = new Credentials("AKIAHUNTUPSTREAM0001", "hunt-upstream-secret");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InetSocketAddress SOURCE = new InetSocketAddress("127.0.0.1", 40000);

    private final Path dir;
    private final BundledStore store;
    private final UpstreamClient upstream;
    final PolicyHolder policy = new PolicyHolder(PolicySnapshot.NONE);
    final Identifier identifier = new Identifier(new PrincipalDirectory(List.of()), Clock.systemUTC());
    final Firewall firewall;
    private final List<String> tables = new ArrayList<>();
    /** The current stream ARN of each table of the sequence, as this world's store named it. */
    private final Map<String, String> streamArns = new java.util.concurrent.ConcurrentHashMap<>();

    World(String name, EventLoopGroup group) throws IOException {
        Path shm = Path.of("/dev/shm");
        this.dir = Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "weir-leakhunt-" + name + "-")
                : Files.createTempDirectory("weir-leakhunt-" + name + "-");
        this.store = BundledStore.open(dir, StoreOptions.signedBy(UPSTREAM).withTtlSweepInterval(Duration.ofHours(1)));
        InetSocketAddress at = store.listen("127.0.0.1", 0);
        this.upstream = new UpstreamClient(URI.create("http://127.0.0.1:" + at.getPort()),
                new SigV4Signer(UPSTREAM, "us-east-1", "dynamodb"), Transport.NIO, group, 8, Duration.ofSeconds(5),
                Duration.ofSeconds(30), Clock.systemUTC());
        // As Appliance wires weir in front of its bundled store: the store's stream numbers are
        // times, not counters, so restricted views may read its streams.
        this.firewall = Firewall.builder().identifier(identifier).policy(policy).upstream(upstream).audit(null)
                .auditScope(AuditScope.ALL).upstreamNumbers(UpstreamNumbers.COUNT_FREE).build();
    }

    /** Hands a signed request to the firewall. */
    CompletableFuture<ProxyResponse> handle(HttpRequestView request) {
        return firewall.handle(request, SOURCE, null);
    }

    static final java.util.Set<String> STREAM_OPS = java.util.Set.of("ListStreams", "DescribeStream", "GetShardIterator",
            "GetRecords");

    /** The ARN of a table's current stream in this world (its label is a time, so each world's differs). */
    String streamArn(String table) {
        return streamArns.get(table);
    }

    /** Signs a request as a principal, as a client would (Streams operations under their own target prefix). */
    static HttpRequestView sign(Principal p, String op, byte[] body) {
        SigV4Signer signer = new SigV4Signer(new Credentials(p.accessKey(), p.secret()), "us-east-1", "dynamodb");
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(
                Map.entry("Host", "weir.leakhunt:8000"),
                Map.entry("Content-Type", Target.CONTENT_TYPE),
                Map.entry("X-Amz-Target", (STREAM_OPS.contains(op) ? Target.STREAMS_PREFIX : Target.PREFIX) + op)));
        headers.addAll(signer.sign("POST", "/", headers, body, java.time.Instant.now()));
        return new HttpRequestView("POST", "/", "", headers, body);
    }

    /** Sends a request straight to the store (as weir itself would); fails unless it answers 200. */
    JsonNode direct(Operation op, ObjectNode body) {
        return join(directAsync(op, body));
    }

    CompletableFuture<JsonNode> directAsync(Operation op, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return upstream.send(Target.of(op), bytes).thenApply(r -> {
            JsonNode answer;
            try {
                answer = JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException(op + " to the store answered unreadable JSON", e);
            }
            if (r.status() != 200) throw new IllegalStateException(op + " to the store failed: " + r.status() + " " + answer);
            return answer;
        });
    }

    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the store did not answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates a sequence's tables and deletes the previous sequence's, all at once; the
     * future completes when every table is there.
     */
    CompletableFuture<Void> createTables(List<TableSpec> specs) {
        List<CompletableFuture<?>> deletes = new ArrayList<>();
        for (String t : tables) deletes.add(directAsync(Operation.DeleteTable, JSON.createObjectNode().put("TableName", t)));
        tables.clear();
        streamArns.clear();
        specs.forEach(t -> tables.add(t.name()));
        // A minimisation run recreates the tables it deletes: create only once they are gone.
        return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            List<CompletableFuture<?>> creates = new ArrayList<>();
            for (TableSpec t : specs) {
                creates.add(directAsync(Operation.CreateTable, t.createRequest()).thenAccept(answer -> {
                    JsonNode arn = answer.path("TableDescription").get("LatestStreamArn");
                    if (arn != null) streamArns.put(t.name(), arn.asText());
                }));
            }
            return CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new));
        });
    }

    /**
     * Writes items straight into the store, 25 per BatchWriteItem, one batch after the other: the
     * table's stream then holds the load's records in the order of the list in both worlds.
     */
    CompletableFuture<Void> seed(String table, List<Map<String, AttributeValue>> items) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int from = 0; from < items.size(); from += 25) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode puts = body.putObject("RequestItems").putArray(table);
            for (Map<String, AttributeValue> item : items.subList(from, Math.min(items.size(), from + 25))) {
                puts.addObject().putObject("PutRequest").set("Item", AttributeValueJson.toJson(item));
            }
            chain = chain.thenCompose(v -> directAsync(Operation.BatchWriteItem, body)).thenAccept(answer -> {
                if (!answer.path("UnprocessedItems").isEmpty()) throw new IllegalStateException("seeding left items unprocessed");
            });
        }
        return chain;
    }

    /** Every item of a table, read straight from the store, by key. */
    Map<String, Map<String, AttributeValue>> snapshot(TableSpec t) {
        Map<String, Map<String, AttributeValue>> out = new java.util.TreeMap<>();
        JsonNode start = null;
        do {
            ObjectNode body = JSON.createObjectNode().put("TableName", t.name()).put("ConsistentRead", true);
            if (start != null) body.set("ExclusiveStartKey", start);
            JsonNode answer = direct(Operation.Scan, body);
            for (JsonNode i : answer.path("Items")) {
                Map<String, AttributeValue> item = AttributeValueJson.item(i, "Item");
                out.put(keyText(t.keyOf(item)), item);
            }
            start = answer.get("LastEvaluatedKey");
        } while (start != null);
        return out;
    }

    /** The items stored under some keys of a table, read straight from the store, by key. */
    Map<String, Map<String, AttributeValue>> items(TableSpec t, List<Map<String, AttributeValue>> keys) {
        Map<String, Map<String, AttributeValue>> out = new java.util.TreeMap<>();
        if (keys.isEmpty()) return out;
        ObjectNode body = JSON.createObjectNode();
        ObjectNode read = body.putObject("RequestItems").putObject(t.name()).put("ConsistentRead", true);
        ArrayNode list = read.putArray("Keys");
        for (Map<String, AttributeValue> k : keys) list.add(AttributeValueJson.toJson(k));
        JsonNode answer = direct(Operation.BatchGetItem, body);
        if (!answer.path("UnprocessedKeys").isEmpty()) throw new IllegalStateException("the store left keys unprocessed");
        for (JsonNode i : answer.path("Responses").path(t.name())) {
            Map<String, AttributeValue> item = AttributeValueJson.item(i, "Item");
            out.put(keyText(t.keyOf(item)), item);
        }
        return out;
    }

    static String keyText(Map<String, AttributeValue> key) {
        StringBuilder sb = new StringBuilder();
        key.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(Reveal.canonical(v)));
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            upstream.close();
        } finally {
            store.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is no failure of the hunt
            }
        }
    }
}
