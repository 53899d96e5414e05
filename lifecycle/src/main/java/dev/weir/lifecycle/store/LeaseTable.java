package dev.weir.lifecycle.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The weir-owned table {@code weir_lifecycle} (hash key {@code pk}, a string) in the upstream
 * store, shared by every weir instance:
 * <ul>
 *   <li>{@code shard|TRIGGER|SHARD}: the lease of one trigger on one stream shard ({@code owner},
 *       {@code expires} in epoch milliseconds) and its checkpoint ({@code checkpoint}, the sequence
 *       number of the last record handled; {@code done} once a closed shard was read to its end);</li>
 *   <li>{@code instance|ID}: an instance's heartbeat ({@code expires}), so instances know how many
 *       share the shards.</li>
 * </ul>
 * Every write that matters is conditional: a lease is taken only if it is free, expired or
 * already ours, renewed and checkpointed only while it is ours. Two instances can therefore
 * never both advance one shard's checkpoint.
 */
public final class LeaseTable {
    public static final String NAME = dev.weir.policy.decision.ReservedTables.LIFECYCLE;

    /** A lease held: who, on what, until when, from where to go on. */
    public record Lease(String trigger, String shard, String owner, long expires, String checkpoint, boolean done) {}

    /** A row as read by {@link #scan}. */
    public record Row(String pk, String owner, long expires, String checkpoint, boolean done) {}

    private final StoreClient store;

    public LeaseTable(StoreClient store) {
        this.store = store;
    }

    /** The attribute whose epoch seconds end a row's life (the table's time to live): schedule claims carry it. */
    public static final String EXPIRES = "expires";

    /**
     * Creates the table if it is missing, with time to live on {@link #EXPIRES}, so rows that are
     * only needed for a while (the claims of scheduled minutes) are swept by the store instead of
     * piling up in a table every instance scans.
     */
    public void ensure() throws StoreException {
        Tables.ensure(store, NAME, "pk", null);
        ObjectNode describe = StoreClient.object();
        describe.put("TableName", NAME);
        String status = store.dynamo("DescribeTimeToLive", describe).path("TimeToLiveDescription")
                .path("TimeToLiveStatus").asText("DISABLED");
        if (status.equals("ENABLED") || status.equals("ENABLING")) return;
        ObjectNode update = StoreClient.object();
        update.put("TableName", NAME);
        update.putObject("TimeToLiveSpecification").put("Enabled", true).put("AttributeName", EXPIRES);
        try {
            store.dynamo("UpdateTimeToLive", update);
        } catch (StoreException e) {
            if (!e.is("ValidationException")) throw e; // another instance enabled it meanwhile
        }
    }

    static String key(String trigger, String shard) {
        return "shard|" + trigger + "|" + shard;
    }

    /**
     * Takes the lease if it is free, expired, or ours; returns it with the checkpoint, or empty
     * when another live instance holds it.
     */
    public Optional<Lease> acquire(String trigger, String shard, String owner, long now, long leaseMs) throws StoreException {
        ObjectNode req = update(trigger, shard);
        req.put("UpdateExpression", "SET #o = :me, #e = :exp");
        req.put("ConditionExpression", "attribute_not_exists(#pk) OR #o = :me OR #e < :now");
        ObjectNode names = names(req);
        names.put("#pk", "pk");
        ObjectNode values = values(req);
        values.set(":me", Json.s(owner));
        values.set(":exp", Json.n(now + leaseMs));
        values.set(":now", Json.n(now));
        req.put("ReturnValues", "ALL_NEW");
        try {
            JsonNode item = store.dynamo("UpdateItem", req).path("Attributes");
            return Optional.of(new Lease(trigger, shard, owner, now + leaseMs, Json.string(item, "checkpoint"),
                    Json.bool(item, "done")));
        } catch (StoreException e) {
            if (e.conditionFailed()) return Optional.empty();
            throw e;
        }
    }

    /** Extends the lease; false when it is no longer ours. */
    public boolean renew(Lease lease, long now, long leaseMs) throws StoreException {
        ObjectNode req = update(lease.trigger(), lease.shard());
        req.put("UpdateExpression", "SET #e = :exp");
        ours(req, lease.owner());
        values(req).set(":exp", Json.n(now + leaseMs));
        return conditional(req);
    }

    /** Advances the checkpoint (and marks the shard done), only while the lease is ours; false when it is not. */
    public boolean checkpoint(Lease lease, String sequenceNumber, boolean done, long now, long leaseMs) throws StoreException {
        ObjectNode req = update(lease.trigger(), lease.shard());
        StringBuilder set = new StringBuilder("SET #e = :exp");
        ObjectNode values = values(req);
        values.set(":exp", Json.n(now + leaseMs));
        if (sequenceNumber != null) {
            set.append(", #c = :c");
            names(req).put("#c", "checkpoint");
            values.set(":c", Json.s(sequenceNumber));
        }
        if (done) {
            set.append(", #d = :d");
            names(req).put("#d", "done");
            values.set(":d", Json.bool(true));
        }
        req.put("UpdateExpression", set.toString());
        ours(req, lease.owner());
        return conditional(req);
    }

    /** Gives the lease up (expired at once) so another instance may take it without waiting. */
    public boolean release(Lease lease) throws StoreException {
        ObjectNode req = update(lease.trigger(), lease.shard());
        req.put("UpdateExpression", "SET #e = :zero");
        ours(req, lease.owner());
        values(req).set(":zero", Json.n(0));
        return conditional(req);
    }

    /** Records that this instance is alive until {@code now + leaseMs}. */
    public void heartbeat(String owner, long now, long leaseMs) throws StoreException {
        ObjectNode req = StoreClient.object();
        req.put("TableName", NAME);
        ObjectNode item = req.putObject("Item");
        item.set("pk", Json.s("instance|" + owner));
        item.set("expires", Json.n(now + leaseMs));
        store.dynamo("PutItem", req);
    }

    /** Every row (the table is small: one row per trigger and shard, one per instance). */
    public List<Row> scan() throws StoreException {
        List<Row> out = new ArrayList<>();
        JsonNode start = null;
        do {
            ObjectNode req = StoreClient.object();
            req.put("TableName", NAME);
            req.put("ConsistentRead", true);
            if (start != null) req.set("ExclusiveStartKey", start);
            JsonNode page = store.dynamo("Scan", req);
            for (JsonNode item : page.path("Items")) {
                out.add(new Row(Json.string(item, "pk"), Json.string(item, "owner"), Json.number(item, "expires", 0),
                        Json.string(item, "checkpoint"), Json.bool(item, "done")));
            }
            start = page.get("LastEvaluatedKey");
        } while (start != null && !start.isNull() && !start.isEmpty());
        return out;
    }

    /** The row's key for a trigger's shard, to find it among {@link #scan} rows. */
    public static String shardKey(String trigger, String shard) {
        return key(trigger, shard);
    }

    private ObjectNode update(String trigger, String shard) {
        ObjectNode req = StoreClient.object();
        req.put("TableName", NAME);
        req.putObject("Key").set("pk", Json.s(key(trigger, shard)));
        ObjectNode names = req.putObject("ExpressionAttributeNames");
        names.put("#o", "owner");
        names.put("#e", "expires");
        req.putObject("ExpressionAttributeValues");
        return req;
    }

    private static void ours(ObjectNode req, String owner) {
        req.put("ConditionExpression", "#o = :me");
        values(req).set(":me", Json.s(owner));
    }

    private static ObjectNode names(ObjectNode req) {
        return (ObjectNode) req.get("ExpressionAttributeNames");
    }

    private static ObjectNode values(ObjectNode req) {
        return (ObjectNode) req.get("ExpressionAttributeValues");
    }

    private boolean conditional(ObjectNode req) throws StoreException {
        try {
            store.dynamo("UpdateItem", req);
            return true;
        } catch (StoreException e) {
            if (e.conditionFailed()) return false;
            throw e;
        }
    }

}
