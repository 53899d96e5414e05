package dev.weir.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The table of the {@code stream-read} scenario: {@value #TABLE}, key {@code id}, a
 * NEW_AND_OLD_IMAGES stream, filled before the scenario by {@code writes} puts of the people of
 * {@link PeopleWorkload} (each person written twice: an INSERT, then a MODIFY that changes every
 * value but the id and region), so its stream holds one record per write. A table of its own,
 * so that the main workload's writes add nothing to the stream and the stream's records cost
 * the main workload's writes nothing.
 */
final class StreamTable {
    static final String TABLE = "people_stream";
    private static final int BATCH = 25;

    private final ObjectMapper mapper;
    private final PeopleWorkload people;
    private final int writes;

    StreamTable(ObjectMapper mapper, PeopleWorkload people, int writes) {
        if (writes < 2 * BATCH) throw new IllegalArgumentException("at least " + 2 * BATCH + " stream writes");
        this.mapper = mapper;
        this.people = people;
        this.writes = writes;
    }

    int writes() {
        return writes;
    }

    /** The people written: the first half of the writes inserts them, the second half modifies each once. */
    int persons() {
        return (writes + 1) / 2;
    }

    /** Creates the table with its stream, waits until it is active, and returns the stream's ARN. */
    String create(DynamoCalls calls) {
        ObjectNode r = mapper.createObjectNode().put("TableName", TABLE).put("BillingMode", "PAY_PER_REQUEST");
        r.putArray("AttributeDefinitions").addObject().put("AttributeName", "id").put("AttributeType", "S");
        r.putArray("KeySchema").addObject().put("AttributeName", "id").put("KeyType", "HASH");
        r.putObject("StreamSpecification").put("StreamEnabled", true).put("StreamViewType", "NEW_AND_OLD_IMAGES");
        calls.require(Operation.CreateTable, r);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode t = calls.require(Operation.DescribeTable, mapper.createObjectNode().put("TableName", TABLE)).path("Table");
            if ("ACTIVE".equals(t.path("TableStatus").asText()) && t.hasNonNull("LatestStreamArn")) {
                return t.path("LatestStreamArn").asText();
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("table " + TABLE + " not active after 60 s: " + t);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /**
     * Makes the writes with BatchWriteItem, {@code parallel} batches at a time (the inserts all
     * before the modifications, so each person's MODIFY follows its INSERT); returns the seconds.
     */
    double fill(DynamoCalls calls, int parallel) {
        long t0 = System.nanoTime();
        int persons = persons();
        for (int version = 0; version < 2; version++) {
            int end = version == 0 ? persons : writes - persons;
            int v = version;
            try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
                List<Future<?>> done = new ArrayList<>();
                for (int from = 0; from < end; from += BATCH) {
                    int start = from;
                    done.add(pool.submit(() -> writeBatch(calls, start, Math.min(end, start + BATCH), v)));
                }
                for (Future<?> f : done) f.get();
            } catch (Exception e) {
                throw new IllegalStateException("filling " + TABLE + " failed: " + e.getMessage(), e);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private void writeBatch(DynamoCalls calls, int from, int to, int version) {
        ObjectNode request = mapper.createObjectNode();
        ArrayNode puts = request.putObject("RequestItems").putArray(TABLE);
        for (int i = from; i < to; i++) puts.addObject().putObject("PutRequest").set("Item", people.item(i, version));
        for (int attempt = 0; ; attempt++) {
            JsonNode unprocessed = calls.require(Operation.BatchWriteItem, request).path("UnprocessedItems");
            if (unprocessed.isEmpty()) return;
            if (attempt == 20) throw new IllegalStateException("BatchWriteItem keeps leaving items unprocessed");
            request = mapper.createObjectNode();
            request.set("RequestItems", unprocessed);
            try {
                Thread.sleep(10L << Math.min(attempt, 6));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
