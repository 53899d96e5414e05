package dev.weir.store.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.Cursor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * GetRecords: up to Limit (1-1000; above 1000 a LimitExceededException, as DynamoDB answers; and about 1 MB) records after the iterator's position, and
 * the iterator to continue with; none once a closed shard has been read to its end. Only
 * records below the shard's horizon (the lowest sequence number still being written) are read,
 * so a record never appears behind a position already returned.
 */
final class GetRecords implements OperationHandler {
    static final Duration ITERATOR_LIFETIME = Duration.ofMinutes(15);
    private static final long MAX_BYTES = 1024 * 1024;

    private final StreamCatalog streams;
    private final ObjectMapper mapper;

    GetRecords(StreamCatalog streams, ObjectMapper mapper) {
        this.streams = streams;
        this.mapper = mapper;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String iterator = RequestFields.text(request, "ShardIterator");
        Long limit = RequestFields.integer(request, "Limit");
        if (limit != null && limit > 1000) throw StreamErrors.limitExceeded();
        ShardIterators.Position p = streams.iterators().decode(iterator);
        long now = streams.clock().millis();
        if (now - p.issuedMillis() > ITERATOR_LIFETIME.toMillis()) throw StreamErrors.expired();
        StreamState s = streams.find(p.streamNo());
        if (s == null) throw StreamErrors.streamNotFound(ShardIterators.arnOf(iterator));
        long horizon, trimmed;
        boolean closed;
        synchronized (s) {
            Shard shard = s.shard(p.shard());
            if (shard == null) throw StreamErrors.trimmed();
            trimmed = shard.trimmedThrough;
            if (p.afterSeq() != ShardIterators.TRIM_HORIZON && p.afterSeq() < trimmed) throw StreamErrors.trimmed();
            horizon = shard.horizon();
            closed = !shard.open() && shard.inFlight.isEmpty();
        }
        long after = Math.max(p.afterSeq(), trimmed);
        int max = limit == null ? 1000 : limit.intValue();
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode records = response.putArray("Records");
        boolean full = false;
        long bytes = 0;
        long position = after;
        try (Cursor c = streams.engine().cursor(Column.STREAMS)) {
            for (c.seek(StreamKeys.record(s.streamNo, p.shard(), after + 1)); c.valid(); c.next()) {
                if (!StreamKeys.inShard(c.key(), s.streamNo, p.shard())) break;
                long seq = StreamKeys.seqOf(c.key());
                if (seq > horizon) break;
                if (records.size() == max || (bytes > 0 && bytes + c.value().length > MAX_BYTES)) {
                    full = true;
                    break;
                }
                records.add(mapper.readTree(c.value()));
                bytes += c.value().length;
                position = seq;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!full) position = Math.max(position, horizon);
        if (!(closed && !full)) {
            response.put("NextShardIterator", streams.iterators().encode(s.arn,
                    new ShardIterators.Position(s.streamNo, p.shard(), position, now)));
        }
        return response;
    }
}
