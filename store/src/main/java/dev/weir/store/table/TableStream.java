package dev.weir.store.table;

import dev.weir.store.stream.StreamViewType;

/**
 * A table's latest change stream: {@code streamNo} is the store's internal number of the stream
 * (it prefixes the stream's record keys, never shown), {@code label} the time stamp that names it
 * in its ARN. A disabled stream stays the table's latest (LatestStreamArn lingers, as in
 * DynamoDB) until a new one is enabled.
 */
public record TableStream(long streamNo, String label, StreamViewType viewType, boolean enabled) {

    public String arn(TableDefinition table) {
        return table.arn() + "/stream/" + label;
    }

    public TableStream disabled() {
        return new TableStream(streamNo, label, viewType, false);
    }
}
