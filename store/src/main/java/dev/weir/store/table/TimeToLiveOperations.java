package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.RequestFields;

/**
 * UpdateTimeToLive and DescribeTimeToLive. Enabling takes effect at once (DynamoDB reports
 * ENABLING for up to an hour); expired items become invisible at once and are deleted by the
 * background sweeper.
 */
public final class TimeToLiveOperations {
    private final TableCatalog catalog;

    public TimeToLiveOperations(TableCatalog catalog) {
        this.catalog = catalog;
    }

    public ObjectNode update(JsonNode request) {
        String name = RequestFields.text(request, "TableName");
        JsonNode spec = RequestFields.object(request, "TimeToLiveSpecification");
        String attribute = RequestFields.text(spec, "AttributeName");
        Boolean enabled = RequestFields.bool(spec, "Enabled");
        catalog.requireNamed(name);
        catalog.update(name, t -> {
            TimeToLive current = t.timeToLive();
            if (enabled) {
                if (current.enabled()) throw DynamoException.validation("TimeToLive is already enabled");
            } else {
                if (!current.enabled()) throw DynamoException.validation("TimeToLive is already disabled");
                if (!current.attributeName().equals(attribute)) {
                    throw DynamoException.validation("TimeToLive is active on a different AttributeName: current AttributeName is "
                            + current.attributeName());
                }
            }
            return t.withTimeToLive(new TimeToLive(attribute, enabled));
        });
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.putObject("TimeToLiveSpecification").put("Enabled", enabled).put("AttributeName", attribute);
        return response;
    }

    public ObjectNode describe(JsonNode request) {
        String name = RequestFields.text(request, "TableName");
        TimeToLive ttl = catalog.requireNamed(name).timeToLive();
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ObjectNode d = response.putObject("TimeToLiveDescription");
        d.put("TimeToLiveStatus", ttl.enabled() ? "ENABLED" : "DISABLED");
        if (ttl.enabled()) d.put("AttributeName", ttl.attributeName());
        return response;
    }
}
