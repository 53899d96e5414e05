package dev.weir.store.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.api.OperationHandler;
import dev.weir.store.api.RequestFields;

import java.util.List;

/** ListStreams: every stream (enabled, or disabled within retention) in ARN order, optionally of one table; pages of Limit (1-100). */
final class ListStreams implements OperationHandler {
    private final StreamCatalog streams;

    ListStreams(StreamCatalog streams) {
        this.streams = streams;
    }

    @Override
    public ObjectNode handle(JsonNode request) {
        String table = RequestFields.text(request, "TableName");
        String start = RequestFields.text(request, "ExclusiveStartStreamArn");
        Long limit = RequestFields.integer(request, "Limit");
        StreamErrors.checkArn(start);
        int max = limit == null ? 100 : limit.intValue();
        List<StreamState> found = streams.list(table, start);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode list = response.putArray("Streams");
        for (int i = 0; i < Math.min(max, found.size()); i++) {
            StreamState s = found.get(i);
            list.addObject().put("StreamArn", s.arn).put("TableName", s.tableName).put("StreamLabel", s.label);
        }
        if (found.size() > max) response.put("LastEvaluatedStreamArn", found.get(max - 1).arn);
        return response;
    }
}
