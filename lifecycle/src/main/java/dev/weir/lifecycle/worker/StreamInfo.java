package dev.weir.lifecycle.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.lifecycle.store.StoreClient;
import dev.weir.lifecycle.store.StoreException;

import java.util.ArrayList;
import java.util.List;

/**
 * A table's current stream as the worker needs it: ARN, view type, key attributes and shards
 * (with their parents, for lineage), from DescribeTable and DescribeStream.
 */
record StreamInfo(String arn, String viewType, List<String> keyAttributes, List<Shard> shards) {

    record Shard(String id, String parent) {}

    /** The table's enabled stream, or null with the reason in {@code why[0]}. */
    static StreamInfo of(StoreClient store, String table, String[] why) throws StoreException {
        ObjectNode req = StoreClient.object();
        req.put("TableName", table);
        JsonNode t;
        try {
            t = store.dynamo("DescribeTable", req).path("Table");
        } catch (StoreException e) {
            if (e.is("ResourceNotFoundException")) {
                why[0] = "table " + table + " does not exist";
                return null;
            }
            throw e;
        }
        JsonNode spec = t.path("StreamSpecification");
        String arn = t.path("LatestStreamArn").asText(null);
        if (arn == null || !spec.path("StreamEnabled").asBoolean(false)) {
            why[0] = "table " + table + " has no enabled stream (enable one with StreamViewType NEW_AND_OLD_IMAGES)";
            return null;
        }
        String viewType = spec.path("StreamViewType").asText();
        if (!viewType.equals("NEW_AND_OLD_IMAGES")) {
            why[0] = "the stream of table " + table + " is " + viewType + "; triggers need NEW_AND_OLD_IMAGES (to judge "
                    + "changes through the role's view and to know the worker's own completion marks)";
            return null;
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode k : t.path("KeySchema")) keys.add(k.path("AttributeName").asText());
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            ObjectNode d = StoreClient.object();
            d.put("StreamArn", arn);
            if (start != null) d.put("ExclusiveStartShardId", start);
            JsonNode desc = store.streams("DescribeStream", d).path("StreamDescription");
            for (JsonNode s : desc.path("Shards")) {
                shards.add(new Shard(s.path("ShardId").asText(), s.hasNonNull("ParentShardId") ? s.get("ParentShardId").asText() : null));
            }
            start = desc.hasNonNull("LastEvaluatedShardId") ? desc.get("LastEvaluatedShardId").asText() : null;
        } while (start != null);
        return new StreamInfo(arn, viewType, keys, shards);
    }
}
