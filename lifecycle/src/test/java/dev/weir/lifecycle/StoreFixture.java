package dev.weir.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.lifecycle.store.StoreClient;
import dev.weir.lifecycle.store.StoreException;
import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.SigV4Signer;
import dev.weir.store.BundledStore;
import dev.weir.store.StoreOptions;

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
import java.util.stream.Stream;

/** A real bundled store on a free port, and a client signed with its credentials. */
public final class StoreFixture implements AutoCloseable {
    public static final Credentials CREDENTIALS = new Credentials("AKIDLIFECYCLETEST001", "lifecycle-test-secret");

    public final Path dir;
    public final BundledStore store;
    public final InetSocketAddress address;
    public final StoreClient client;

    public StoreFixture() throws IOException {
        this(StoreOptions.signedBy(CREDENTIALS).ttlSweepInterval());
    }

    /** With expired items swept every {@code ttlSweep}. */
    public StoreFixture(Duration ttlSweep) throws IOException {
        dir = Files.createTempDirectory("weir-lifecycle-test");
        store = BundledStore.open(dir, StoreOptions.signedBy(CREDENTIALS).withTtlSweepInterval(ttlSweep));
        address = store.listen("127.0.0.1", 0);
        client = new StoreClient(URI.create("http://127.0.0.1:" + address.getPort()),
                new SigV4Signer(CREDENTIALS, "us-east-1", "dynamodb"), Duration.ofSeconds(10), Clock.systemUTC());
    }

    /** A table with a string hash key {@code id} and a NEW_AND_OLD_IMAGES stream. */
    public void table(String name, String viewType) throws StoreException {
        ObjectNode req = StoreClient.object();
        req.put("TableName", name);
        req.put("BillingMode", "PAY_PER_REQUEST");
        req.putArray("KeySchema").addObject().put("AttributeName", "id").put("KeyType", "HASH");
        req.putArray("AttributeDefinitions").addObject().put("AttributeName", "id").put("AttributeType", "S");
        req.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", viewType);
        client.dynamo("CreateTable", req);
    }

    public void put(String table, ObjectNode item) throws StoreException {
        ObjectNode req = StoreClient.object();
        req.put("TableName", table);
        req.set("Item", item);
        client.dynamo("PutItem", req);
    }

    public void update(String table, String id, String expression, ObjectNode values) throws StoreException {
        ObjectNode req = StoreClient.object();
        req.put("TableName", table);
        req.putObject("Key").putObject("id").put("S", id);
        req.put("UpdateExpression", expression);
        if (values != null) req.set("ExpressionAttributeValues", values);
        client.dynamo("UpdateItem", req);
    }

    public void delete(String table, String id) throws StoreException {
        ObjectNode req = StoreClient.object();
        req.put("TableName", table);
        req.putObject("Key").putObject("id").put("S", id);
        client.dynamo("DeleteItem", req);
    }

    public List<JsonNode> scan(String table) throws StoreException {
        List<JsonNode> out = new ArrayList<>();
        ObjectNode req = StoreClient.object();
        req.put("TableName", table);
        client.dynamo("Scan", req).path("Items").forEach(out::add);
        return out;
    }

    @Override public void close() throws IOException {
        store.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
