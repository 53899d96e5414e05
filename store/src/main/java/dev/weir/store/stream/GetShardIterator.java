package dev.weir.store.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;

/**
 * GetShardIterator: TRIM_HORIZON (the oldest record kept), LATEST (after the newest),
 * AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER (any number in the shard's range: the iterator
 * starts at the first record at, or after, it). A number at or before what retention removed
 * is a TrimmedDataAccessException.
 */
final class GetShardIterator implements OperationHandler {
    private final StreamCatalog streams;

    GetShardIterator(StreamCatalog streams) {
        this.streams = streams;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String arn = RequestFields.text(request, "StreamArn");
        String shardId = RequestFields.text(request, "ShardId");
        String type = RequestFields.text(request, "ShardIteratorType");
        String number = RequestFields.text(request, "SequenceNumber");
        StreamErrors.checkArn(arn);
        boolean bySequence = type.endsWith("_SEQUENCE_NUMBER");
        if (bySequence && number == null) {
            throw DynamoException.validation("SequenceNumber is required for ShardIteratorType " + type);
        }
        if (!bySequence && number != null) {
            throw DynamoException.validation("SequenceNumber must not be given with ShardIteratorType " + type);
        }
        StreamState s = streams.find(arn);
        if (s == null) throw StreamErrors.streamNotFound(arn);
        long seq = bySequence ? SequenceNumbers.parse(number) : 0;
        long after;
        int ordinal;
        synchronized (s) {
            Shard shard = s.shard(shardId);
            if (shard == null) throw StreamErrors.shardNotFound();
            ordinal = shard.ordinal;
            if (bySequence && (seq < shard.openedMicros || (!shard.open() && seq > shard.closedMicros))) {
                throw DynamoException.validation("Invalid SequenceNumber " + number + " for shard " + shardId
                        + ": outside the shard's SequenceNumberRange");
            }
            after = switch (type) {
                case "TRIM_HORIZON" -> ShardIterators.TRIM_HORIZON;
                case "LATEST" -> shard.lastSeq;
                case "AT_SEQUENCE_NUMBER" -> seq - 1;
                default -> seq;
            };
            if (bySequence && after < shard.trimmedThrough) throw StreamErrors.trimmed();
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("ShardIterator", streams.iterators().encode(s.arn,
                new ShardIterators.Position(s.streamNo, ordinal, after, streams.clock().millis())));
        return response;
    }
}
