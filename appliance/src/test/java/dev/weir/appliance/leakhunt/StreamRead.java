package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An actor reads a table's change stream, in both worlds in step: DescribeStream (sometimes a
 * shard per page), then every shard from TRIM_HORIZON with GetShardIterator and GetRecords
 * pages of a random {@code Limit} 1..5 until an empty page or the shard's end, and sometimes
 * again from AT_ or AFTER_SEQUENCE_NUMBER of a record it saw, or from LATEST. Each world's
 * requests carry that world's own stream ARN, shard ids, iterators and sequence numbers (taken
 * from its own earlier answers); every answer is compared after {@link Answer#normalised}.
 * The choices come from the request's own seed, so a replay or a minimisation makes the same.
 */
final class StreamRead {
    static final String OP = "StreamRead";
    /** A bound on the pages of one shard read (a shard holds a few dozen records at most). */
    private static final int MAX_PAGES = 60;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Hunt hunt;
    private final Hunt.Run run;
    private final int index;
    private final Req req;
    private final Principal actor;
    private final Random r;
    private final String table;

    StreamRead(Hunt hunt, Hunt.Run run, int index, Req req, Principal actor) {
        this.hunt = hunt;
        this.run = run;
        this.index = index;
        this.req = req;
        this.actor = actor;
        this.r = new Random(req.body().path("Seed").asLong());
        this.table = req.body().path("TableName").asText();
    }

    /** The generated request: which table's stream, and the seed of the reader's choices. */
    static Req request(int actor, String table, long seed) {
        return new Req(actor, OP, F.objectNode().put("TableName", table).put("Seed", seed), -1);
    }

    /** Reads the stream in both worlds; the first difference, or null. */
    Hunt.Failure read() {
        String arn1 = hunt.one.streamArn(table), arn2 = hunt.two.streamArn(table);
        if (arn1 == null || arn2 == null) return null;
        // Named before any answer, so a message that quotes the ARN reads the same in both worlds.
        run.names1.of("arn", arn1);
        run.names2.of("arn", arn2);
        List<String> shards1 = new ArrayList<>(), shards2 = new ArrayList<>();
        int limit = r.nextInt(4) == 0 ? 1 : 0;
        JsonNode start1 = null, start2 = null;
        boolean described = true;
        do {
            ObjectNode b1 = F.objectNode().put("StreamArn", arn1), b2 = F.objectNode().put("StreamArn", arn2);
            if (limit > 0) {
                b1.put("Limit", limit);
                b2.put("Limit", limit);
            }
            if (start1 != null) {
                b1.set("ExclusiveStartShardId", start1);
                b2.set("ExclusiveStartShardId", start2);
            }
            Hunt.Step s = step("DescribeStream", b1, b2, "", "");
            if (s.failure() != null) return s.failure();
            if (s.status() != 200) {
                described = false;
                break;
            }
            for (JsonNode sh : s.raw1().path("StreamDescription").path("Shards")) shards1.add(sh.path("ShardId").asText());
            for (JsonNode sh : s.raw2().path("StreamDescription").path("Shards")) shards2.add(sh.path("ShardId").asText());
            start1 = s.raw1().path("StreamDescription").get("LastEvaluatedShardId");
            start2 = s.raw2().path("StreamDescription").get("LastEvaluatedShardId");
        } while (start1 != null && start2 != null && shards1.size() < 20);
        if (!described) {
            // The actor may not describe the stream: it reads the shards anyway (shard ids are no
            // secret of the policy; another principal could tell them), from the store's own list.
            shards1.addAll(shardsOf(hunt.one, arn1));
            shards2.addAll(shardsOf(hunt.two, arn2));
            if (shards1.size() != shards2.size()) throw new IllegalStateException("the worlds' streams have different shards");
        }
        for (int k = 0; k < shards1.size(); k++) {
            List<String> seen1 = new ArrayList<>(), seen2 = new ArrayList<>();
            Hunt.Failure f = readShard(arn1, arn2, shards1.get(k), shards2.get(k), "TRIM_HORIZON", null, null, seen1, seen2);
            if (f != null) return f;
            if (!seen1.isEmpty() && r.nextInt(3) == 0) {
                int j = r.nextInt(seen1.size());
                String type = r.nextBoolean() ? "AT_SEQUENCE_NUMBER" : "AFTER_SEQUENCE_NUMBER";
                f = readShard(arn1, arn2, shards1.get(k), shards2.get(k), type, seen1.get(j), seen2.get(j), new ArrayList<>(),
                        new ArrayList<>());
                if (f != null) return f;
            }
        }
        if (!shards1.isEmpty() && r.nextInt(8) == 0) {
            int k = r.nextInt(shards1.size());
            return readShard(arn1, arn2, shards1.get(k), shards2.get(k), "LATEST", null, null, new ArrayList<>(), new ArrayList<>());
        }
        return null;
    }

    /** One shard from one position: an iterator, then pages until an empty one or the shard's end. */
    private Hunt.Failure readShard(String arn1, String arn2, String shard1, String shard2, String type, String seq1, String seq2,
                                   List<String> seen1, List<String> seen2) {
        ObjectNode b1 = F.objectNode().put("StreamArn", arn1).put("ShardId", shard1).put("ShardIteratorType", type);
        ObjectNode b2 = F.objectNode().put("StreamArn", arn2).put("ShardId", shard2).put("ShardIteratorType", type);
        if (seq1 != null) {
            b1.put("SequenceNumber", seq1);
            b2.put("SequenceNumber", seq2);
        }
        Hunt.Step s = step("GetShardIterator", b1, b2, shard1, shard2);
        if (s.failure() != null || s.status() != 200) return s.failure();
        JsonNode it1 = s.raw1().get("ShardIterator"), it2 = s.raw2().get("ShardIterator");
        for (int page = 0; page < MAX_PAGES && it1 != null && it2 != null; page++) {
            int limit = 1 + r.nextInt(5);
            ObjectNode g1 = F.objectNode().put("ShardIterator", it1.asText()).put("Limit", limit);
            ObjectNode g2 = F.objectNode().put("ShardIterator", it2.asText()).put("Limit", limit);
            Hunt.Step g = step("GetRecords", g1, g2, shard1, shard2);
            if (g.failure() != null || g.status() != 200) return g.failure();
            for (JsonNode rec : g.raw1().path("Records")) seen1.add(rec.path("dynamodb").path("SequenceNumber").asText());
            for (JsonNode rec : g.raw2().path("Records")) seen2.add(rec.path("dynamodb").path("SequenceNumber").asText());
            if (g.raw1().path("Records").isEmpty()) break;
            it1 = g.raw1().get("NextShardIterator");
            it2 = g.raw2().get("NextShardIterator");
        }
        return null;
    }

    private Hunt.Step step(String op, ObjectNode b1, ObjectNode b2, String shard1, String shard2) {
        return hunt.step(run, index, new Req(req.actor(), op, b1, -1), actor, b1, b2, shard1, shard2);
    }

    /** The shard ids of a stream, straight from the store. */
    private static List<String> shardsOf(World w, String arn) {
        List<String> out = new ArrayList<>();
        JsonNode answer = w.direct(Operation.DescribeStream, F.objectNode().put("StreamArn", arn));
        for (JsonNode sh : answer.path("StreamDescription").path("Shards")) out.add(sh.path("ShardId").asText());
        return out;
    }
}
