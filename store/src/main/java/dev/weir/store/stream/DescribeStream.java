package dev.weir.store.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * DescribeStream: the stream and its shards, parents before children (by opening time), in
 * pages of Limit (1-100). A shard's SequenceNumberRange is its opening time and, once closed,
 * its closing time, in sequence-number form: nothing in it counts records.
 */
final class DescribeStream implements OperationHandler {
    private final StreamCatalog streams;

    DescribeStream(StreamCatalog streams) {
        this.streams = streams;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String arn = RequestFields.text(request, "StreamArn");
        String start = RequestFields.text(request, "ExclusiveStartShardId");
        Long limit = RequestFields.integer(request, "Limit");
        StreamErrors.checkArn(arn);
        StreamState s = streams.find(arn);
        if (s == null) throw StreamErrors.streamNotFound(arn);
        streams.rollIfDue(s);
        int max = limit == null ? 100 : limit.intValue();
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        synchronized (s) {
            d.put("StreamArn", s.arn);
            d.put("StreamLabel", s.label);
            d.put("StreamStatus", s.enabled() ? "ENABLED" : "DISABLED");
            d.put("StreamViewType", s.viewType.name());
            d.put("CreationRequestDateTime", BigDecimal.valueOf(s.createdMillis, 3));
            d.put("TableName", s.tableName);
            ArrayNode keys = d.putArray("KeySchema");
            keys.addObject().put("AttributeName", s.keySchema.hash().name()).put("KeyType", "HASH");
            s.keySchema.range().ifPresent(r -> keys.addObject().put("AttributeName", r.name()).put("KeyType", "RANGE"));
            List<Shard> shards = new ArrayList<>(s.shards);
            shards.sort(Comparator.comparingLong((Shard sh) -> sh.openedMicros).thenComparingInt(sh -> sh.slot));
            int from = 0;
            if (start != null) {
                // after the named shard; a shard id this stream does not hold (one trimmed away, say) is no
                // error, as in DynamoDB: the listing goes on with the shards whose ids sort after it
                int at = -1;
                for (int i = 0; i < shards.size() && at < 0; i++) if (shards.get(i).shardId.equals(start)) at = i;
                from = shards.size();
                if (at >= 0) {
                    from = at + 1;
                } else {
                    for (int i = 0; i < shards.size(); i++) {
                        if (shards.get(i).shardId.compareTo(start) > 0) {
                            from = i;
                            break;
                        }
                    }
                }
            }
            ArrayNode out = d.putArray("Shards");
            int to = Math.min(shards.size(), from + max);
            for (int i = from; i < to; i++) {
                Shard sh = shards.get(i);
                ObjectNode n = out.addObject().put("ShardId", sh.shardId);
                ObjectNode range = n.putObject("SequenceNumberRange")
                        .put("StartingSequenceNumber", SequenceNumbers.format(sh.openedMicros));
                if (!sh.open()) range.put("EndingSequenceNumber", SequenceNumbers.format(sh.closedMicros));
                if (sh.parentShardId != null) n.put("ParentShardId", sh.parentShardId);
            }
            if (to < shards.size()) d.put("LastEvaluatedShardId", shards.get(to - 1).shardId);
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("StreamDescription", d);
        return response;
    }
}
