package dev.weir.lifecycle.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * The weir-owned table {@code weir_dead_letters} (hash key {@code trigger}, range key
 * {@code eventId}): records a trigger's function failed on {@code retry + 1} times, each with
 * the record exactly as the trigger's role saw it (never more), the last error, the number of
 * attempts and the time. The shard goes on past them.
 */
public final class DeadLetters {
    public static final String NAME = dev.weir.policy.decision.ReservedTables.DEAD_LETTERS;

    private final StoreClient store;

    public DeadLetters(StoreClient store) {
        this.store = store;
    }

    public void ensure() throws StoreException {
        Tables.ensure(store, NAME, "trigger", "eventId");
    }

    public void put(String trigger, String eventId, String recordAsSeen, String error, int attempts, Instant at)
            throws StoreException {
        ObjectNode req = StoreClient.object();
        req.put("TableName", NAME);
        ObjectNode item = req.putObject("Item");
        item.set("trigger", Json.s(trigger));
        item.set("eventId", Json.s(eventId));
        item.set("record", Json.s(recordAsSeen));
        item.set("error", Json.s(error.isEmpty() ? "(no message)" : error));
        item.set("attempts", Json.n(attempts));
        item.set("time", Json.s(at.toString()));
        store.dynamo("PutItem", req);
    }
}
