package dev.weir.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Reads a whole stream as a consumer does, through one endpoint: every shard from TRIM_HORIZON
 * with GetShardIterator, then GetRecords ({@value #LIMIT} records a page) with each
 * {@code NextShardIterator}, until a page comes back empty (the tip of an open shard) or the
 * shard is closed and read. One thread and one keep-alive connection per shard, all shards at
 * once; every request is SigV4-signed when it is sent (an iterator is known only from the
 * answer before). Through weir, the iterators are weir's sealed ones.
 */
final class StreamReader implements AutoCloseable {
    static final int LIMIT = 1000;

    private final ObjectMapper mapper;
    private final String streamArn;
    private final List<String> shards;
    private final List<DynamoCalls> connections = new ArrayList<>();
    private final ExecutorService pool;

    /** What one pass over every shard read. */
    record Pass(long records, long requests, double seconds) {}

    private record ShardPass(long records, long requests) {}

    private StreamReader(Endpoint endpoint, ObjectMapper mapper, String streamArn, List<String> shards) {
        this.mapper = mapper;
        this.streamArn = streamArn;
        this.shards = List.copyOf(shards);
        for (int i = 0; i < shards.size(); i++) connections.add(new DynamoCalls(endpoint, mapper));
        this.pool = Executors.newFixedThreadPool(shards.size(), r -> {
            Thread t = new Thread(r, "weir-bench-stream-reader");
            t.setDaemon(true);
            return t;
        });
    }

    /** A reader of the stream {@code streamArn} through {@code endpoint}: its shards from DescribeStream (every page). */
    static StreamReader open(Endpoint endpoint, ObjectMapper mapper, String streamArn) {
        DynamoCalls calls = new DynamoCalls(endpoint, mapper);
        List<String> shards = new ArrayList<>();
        String after = null;
        do {
            ObjectNode r = mapper.createObjectNode().put("StreamArn", streamArn);
            if (after != null) r.put("ExclusiveStartShardId", after);
            JsonNode d = calls.require(Operation.DescribeStream, r).path("StreamDescription");
            for (JsonNode s : d.path("Shards")) shards.add(s.path("ShardId").asText());
            after = d.path("LastEvaluatedShardId").isTextual() ? d.path("LastEvaluatedShardId").asText() : null;
        } while (after != null);
        if (shards.isEmpty()) throw new IllegalStateException("DescribeStream of " + streamArn + " through " + endpoint + " lists no shard");
        return new StreamReader(endpoint, mapper, streamArn, shards);
    }

    int shards() {
        return shards.size();
    }

    /** Reads every shard once, all at once; {@code sink} (null: none) gets each record returned, from several threads. */
    Pass pass(Consumer<JsonNode> sink) throws InterruptedException {
        long t0 = System.nanoTime();
        List<Future<ShardPass>> running = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            int shard = i;
            running.add(pool.submit(() -> readShard(shard, sink)));
        }
        long records = 0, requests = 0;
        for (Future<ShardPass> f : running) {
            try {
                ShardPass p = f.get();
                records += p.records();
                requests += p.requests();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            }
        }
        return new Pass(records, requests, (System.nanoTime() - t0) / 1e9);
    }

    private ShardPass readShard(int shard, Consumer<JsonNode> sink) {
        DynamoCalls calls = connections.get(shard);
        ObjectNode get = mapper.createObjectNode().put("StreamArn", streamArn).put("ShardId", shards.get(shard))
                .put("ShardIteratorType", "TRIM_HORIZON");
        String iterator = calls.require(Operation.GetShardIterator, get).path("ShardIterator").asText(null);
        long records = 0, requests = 1;
        while (iterator != null) {
            JsonNode page = calls.require(Operation.GetRecords, mapper.createObjectNode().put("ShardIterator", iterator)
                    .put("Limit", LIMIT));
            requests++;
            JsonNode list = page.path("Records");
            if (sink != null) list.forEach(sink);
            records += list.size();
            if (list.isEmpty()) break;
            iterator = page.path("NextShardIterator").isTextual() ? page.path("NextShardIterator").asText() : null;
        }
        return new ShardPass(records, requests);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
