package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.RequestFields;

import java.time.Clock;
import java.time.Duration;

/**
 * UpdateTimeToLive and DescribeTimeToLive, as DynamoDB answers them (docs/store.md, "Time to
 * live"). A change takes effect at once: DynamoDB documents ENABLING and DISABLING, but shows
 * the settled status within seconds, so the store reports ENABLED or DISABLED. The checks come
 * in DynamoDB's order: the setting itself (already enabled, already disabled, another attribute
 * active) before the interval: after a successful change, another one within
 * {@code changeInterval} is refused ("modified multiple times within a fixed interval"; a
 * refused request does not restart it). Expired items stay readable until the background
 * sweeper deletes them.
 */
public final class TimeToLiveOperations {
    /** The interval DynamoDB documents between two changes of a table's time to live. */
    public static final Duration CHANGE_INTERVAL = Duration.ofHours(1);

    private final TableCatalog catalog;
    private final Clock clock;
    private final Duration changeInterval;

    public TimeToLiveOperations(TableCatalog catalog, Clock clock, Duration changeInterval) {
        this.catalog = catalog;
        this.clock = clock;
        this.changeInterval = changeInterval;
    }

    public ObjectNode update(JsonNode request) {
        String name = RequestFields.text(request, "TableName");
        JsonNode spec = RequestFields.object(request, "TimeToLiveSpecification");
        String attribute = RequestFields.text(spec, "AttributeName");
        Boolean enabled = RequestFields.bool(spec, "Enabled");
        catalog.requireNamed(name);
        catalog.update(name, t -> {
            TimeToLive current = t.timeToLive();
            if (current.enabled() && !current.attributeName().equals(attribute)) {
                throw DynamoException.validation("TimeToLive is active on a different AttributeName: current AttributeName is "
                        + current.attributeName());
            }
            if (enabled && current.enabled()) throw DynamoException.validation("TimeToLive is already enabled");
            if (!enabled && !current.enabled()) throw DynamoException.validation("TimeToLive is already disabled");
            long now = clock.millis();
            if (current.changedAtMillis() > 0 && now - current.changedAtMillis() < changeInterval.toMillis()) {
                throw DynamoException.validation("Time to live has been modified multiple times within a fixed interval");
            }
            return t.withTimeToLive(new TimeToLive(attribute, enabled, now));
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
