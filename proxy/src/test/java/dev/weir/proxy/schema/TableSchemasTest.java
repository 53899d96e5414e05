package dev.weir.proxy.schema;

import dev.weir.protocol.model.Operation;
import dev.weir.proxy.schema.TableSchema.Index;
import dev.weir.proxy.schema.TableSchema.Kind;
import dev.weir.proxy.schema.TableSchema.ProjectionType;
import dev.weir.proxy.upstream.SignedStore;
import dev.weir.proxy.upstream.UpstreamResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schemas read from a real bundled store through weir's signed upstream client, and what happens when they cannot be. */
class TableSchemasTest {
    @TempDir
    static Path dir;
    static SignedStore store;

    private final AtomicLong now = new AtomicLong();
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        store = new SignedStore(dir);
        store.call(Operation.CreateTable, """
                {"TableName":"people","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
                   {"AttributeName":"age","AttributeType":"N"},{"AttributeName":"region","AttributeType":"S"},
                   {"AttributeName":"email","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
                 "LocalSecondaryIndexes":[{"IndexName":"byAge","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
                   {"AttributeName":"age","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["name"]}}],
                 "GlobalSecondaryIndexes":[
                   {"IndexName":"byRegion","KeySchema":[{"AttributeName":"region","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}},
                   {"IndexName":"byEmail","KeySchema":[{"AttributeName":"email","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
                    "Projection":{"ProjectionType":"ALL"}}]}""");
        store.call(Operation.CreateTable, """
                {"TableName":"matches","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"t","AttributeType":"S"},
                   {"AttributeName":"z","AttributeType":"S"},{"AttributeName":"round","AttributeType":"N"},
                   {"AttributeName":"bracket","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
                 "GlobalSecondaryIndexes":[
                   {"IndexName":"multi","KeySchema":[{"AttributeName":"t","KeyType":"HASH"},{"AttributeName":"z","KeyType":"HASH"},
                     {"AttributeName":"round","KeyType":"RANGE"},{"AttributeName":"bracket","KeyType":"RANGE"}],
                    "Projection":{"ProjectionType":"KEYS_ONLY"}}]}""");
        store.call(Operation.CreateTable, """
                {"TableName":"flat","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]}""");
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    private CompletableFuture<UpstreamResponse> counted(String target, byte[] body) {
        asked.add(target.substring(target.indexOf('.') + 1) + " " + new String(body, StandardCharsets.UTF_8));
        return store.send(target, body);
    }

    private final TableSchemas schemas = new TableSchemas(this::counted, TableSchemas.TTL, now::get);

    @Test
    void keysIndexesAndProjectionsAsTheStoreDescribesThem() throws Exception {
        TableSchema people = schemas.of("people").get().orElseThrow();
        assertEquals("pk", people.hashKey());
        assertEquals("sk", people.rangeKey());
        assertEquals(List.of(
                new Index("byAge", Kind.LOCAL, "pk", "age", ProjectionType.INCLUDE, List.of("name")),
                new Index("byRegion", Kind.GLOBAL, "region", null, ProjectionType.KEYS_ONLY, List.of()),
                new Index("byEmail", Kind.GLOBAL, "email", "sk", ProjectionType.ALL, List.of())), people.indexes());
        assertEquals(List.of("pk", "sk"), people.keyAttributes(null));
        assertEquals(List.of("pk", "sk", "age"), people.keyAttributes("byAge"));
        assertEquals(List.of("pk", "sk", "region"), people.keyAttributes("byRegion"));
        assertEquals(List.of("pk", "sk", "email"), people.keyAttributes("byEmail"));
        assertEquals(List.of("pk", "age"), people.orderKeys("byAge"));
        assertEquals(List.of("region"), people.orderKeys("byRegion"));
        assertEquals(List.of("pk", "sk"), people.orderKeys(null));
        assertThrows(IllegalArgumentException.class, () -> people.keyAttributes("nope"));

        assertTrue(people.projects(null, "anything"));
        assertTrue(people.projects("byAge", "name"));
        assertTrue(people.projects("byAge", "age"));
        assertTrue(people.projects("byAge", "sk"), "the table's keys are in every index");
        assertFalse(people.projects("byAge", "region"));
        assertTrue(people.projects("byRegion", "region"));
        assertTrue(people.projects("byRegion", "pk"));
        assertFalse(people.projects("byRegion", "name"));
        assertTrue(people.projects("byEmail", "classified"));
        assertFalse(people.projects("nope", "pk"), "an index the table lacks projects nothing");

        TableSchema flat = schemas.of("flat").get().orElseThrow();
        assertEquals(new TableSchema("flat", "id", null, List.of()), flat);
        assertEquals(List.of("id"), flat.keyAttributes(null));
    }

    @Test
    void multiAttributeKeysOfAGlobalIndex() throws Exception {
        TableSchema matches = schemas.of("matches").get().orElseThrow();
        assertEquals(List.of(new Index("multi", Kind.GLOBAL, List.of("t", "z"), List.of("round", "bracket"),
                ProjectionType.KEYS_ONLY, List.of())), matches.indexes());
        assertEquals(List.of("t", "z", "round", "bracket"), matches.orderKeys("multi"));
        assertEquals(List.of("t", "z"), matches.partitionKeys("multi"));
        assertEquals(List.of("round", "bracket"), matches.sortKeys("multi"));
        assertEquals(List.of("id"), matches.partitionKeys(null));
        assertEquals(List.of(), matches.sortKeys(null));
        assertEquals(List.of("id", "t", "z", "round", "bracket"), matches.keyAttributes("multi"),
                "a LastEvaluatedKey of the index holds every key attribute of the table and the index");
        assertTrue(matches.projects("multi", "bracket"), "a KEYS_ONLY index holds every one of its key attributes");
        assertFalse(matches.projects("multi", "score"));
    }

    /** A key schema weir does not know how to enforce is no schema: reads of the table are refused (fail closed). */
    @Test
    void keySchemasBeyondDynamoDbsAreNoSchema() {
        String gsi = "{\"Table\":{\"TableName\":\"people\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                + "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"g\",\"Projection\":{\"ProjectionType\":\"ALL\"},\"KeySchema\":[";
        assertTrue(failure(scripted(200, gsi + hashes(5) + "]}]}}")).contains("is not one to 4 HASH keys and at most 4 RANGE keys"));
        assertTrue(failure(scripted(200, gsi + hashes(1) + "," + key("r", "RANGE") + "," + key("h2", "HASH") + "]}]}}"))
                .contains("is not one to 4 HASH keys"), "every HASH element comes first");
        assertTrue(failure(scripted(200, gsi + hashes(2) + "," + key("h0", "RANGE") + "]}]}}")).contains("names h0 twice"));
        assertTrue(failure(scripted(200, "{\"Table\":{\"TableName\":\"people\",\"KeySchema\":[" + hashes(2) + "]}}"))
                .contains("is not one HASH and at most one RANGE key"), "a table's key is one HASH and at most one RANGE");
        assertTrue(failure(scripted(200, "{\"Table\":{\"TableName\":\"people\",\"KeySchema\":[" + key("pk", "HASH") + "],"
                + "\"LocalSecondaryIndexes\":[{\"IndexName\":\"l\",\"Projection\":{\"ProjectionType\":\"ALL\"},\"KeySchema\":["
                + key("pk", "HASH") + "," + key("a", "RANGE") + "," + key("b", "RANGE") + "]}]}}"))
                .contains("is not one HASH and at most one RANGE key"), "so is a local index's");
    }

    private static String key(String name, String type) {
        return "{\"AttributeName\":\"" + name + "\",\"KeyType\":\"" + type + "\"}";
    }

    private static String hashes(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(key("h" + i, "HASH"));
        return String.join(",", out);
    }

    @Test
    void aSchemaIsKeptUntilItsTtlOrAnInvalidation() throws Exception {
        schemas.of("flat").get();
        schemas.of("flat").get();
        assertEquals(1, asked.size(), asked.toString());
        assertTrue(asked.getFirst().startsWith("DescribeTable {\"TableName\":\"flat\"}"), asked.toString());
        now.addAndGet(TableSchemas.TTL.plusSeconds(1).toNanos());
        schemas.of("flat").get();
        assertEquals(2, asked.size());
        schemas.invalidate("flat");
        schemas.of("flat").get();
        assertEquals(3, asked.size());
        assertTrue(TableSchemas.changesSchema(Operation.UpdateTable));
        assertTrue(TableSchemas.changesSchema(Operation.CreateTable));
        assertTrue(TableSchemas.changesSchema(Operation.DeleteTable));
        assertFalse(TableSchemas.changesSchema(Operation.UpdateTimeToLive));
    }

    @Test
    void anUpdateTableSeenAfterTheInvalidation() throws Exception {
        store.call(Operation.CreateTable, """
                {"TableName":"growing","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]}""");
        assertEquals(List.of(), schemas.of("growing").get().orElseThrow().indexes());
        store.call(Operation.UpdateTable, """
                {"TableName":"growing","AttributeDefinitions":[{"AttributeName":"tag","AttributeType":"S"}],
                 "GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byTag","KeySchema":[{"AttributeName":"tag","KeyType":"HASH"}],
                   "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a","b"]}}}]}""");
        assertEquals(List.of(), schemas.of("growing").get().orElseThrow().indexes(), "kept until invalidated");
        schemas.invalidate("growing");
        TableSchema grown = schemas.of("growing").get().orElseThrow();
        assertEquals(List.of(new Index("byTag", Kind.GLOBAL, "tag", null, ProjectionType.INCLUDE, List.of("a", "b"))),
                grown.indexes());
    }

    @Test
    void aMissingTableIsEmptyAndAskedAgainEveryTime() throws Exception {
        assertEquals(Optional.empty(), schemas.of("missing").get());
        assertEquals(Optional.empty(), schemas.of("missing").get());
        assertEquals(2, asked.size(), "a table created next must be seen at once");
    }

    @Test
    void concurrentCallersShareOneLookup() throws Exception {
        List<CompletableFuture<Optional<TableSchema>>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) all.add(schemas.of("people"));
        for (CompletableFuture<Optional<TableSchema>> f : all) assertEquals("pk", f.get().orElseThrow().hashKey());
        assertEquals(1, asked.size(), asked.toString());
    }

    private static TableSchemas scripted(int status, String answer) {
        return new TableSchemas((t, b) -> CompletableFuture.completedFuture(
                new UpstreamResponse(status, null, answer.getBytes(StandardCharsets.UTF_8))), TableSchemas.TTL, () -> 0);
    }

    private static String failure(TableSchemas s) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> s.of("people").get());
        return e.getCause().getMessage();
    }

    /** Fail closed: a read is never enforced on a schema weir could not read. */
    @Test
    void anUnreadableSchemaFailsTheLookup() {
        TableSchemas down = new TableSchemas((t, b) -> CompletableFuture.failedFuture(new IOException("connection refused")),
                TableSchemas.TTL, () -> 0);
        assertTrue(failure(down).contains("connection refused"));
        assertTrue(failure(scripted(400, "{\"__type\":\"com.amazon.coral.service#UnrecognizedClientException\","
                + "\"message\":\"The security token included in the request is invalid.\"}")).contains("UnrecognizedClientException"));
        assertTrue(failure(scripted(500, "{\"__type\":\"InternalServerError\"}")).contains("500"));
        assertTrue(failure(scripted(200, "not json")).contains("unreadable"));
        assertTrue(failure(scripted(200, "{\"Table\":{\"TableName\":\"people\"}}")).contains("no HASH key"));
        assertTrue(failure(scripted(200, "{\"Table\":{\"TableName\":\"people\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                + "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"g\",\"KeySchema\":[{\"AttributeName\":\"x\",\"KeyType\":\"HASH\"}],"
                + "\"Projection\":{\"ProjectionType\":\"SOME\"}}]}}")).contains("unknown ProjectionType"));
        assertTrue(failure(scripted(200, "{\"Table\":{\"TableName\":\"other\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}]}}"))
                .contains("described other"));
    }
}
