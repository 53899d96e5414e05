package dev.weir.lifecycle.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.lifecycle.call.CallResult;
import dev.weir.lifecycle.store.Json;
import dev.weir.lifecycle.store.LeaseTable;
import dev.weir.lifecycle.store.StoreClient;
import dev.weir.lifecycle.store.StoreException;
import dev.weir.policy.trigger.Judgement;
import dev.weir.policy.trigger.RecordFilter;
import dev.weir.policy.trigger.RecordView;
import dev.weir.policy.trigger.TriggerSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One trigger on one shard, while this instance holds its lease: reads the shard in order from
 * the checkpoint, cuts each record through the role's view, calls the function batch by batch,
 * writes the completion marks, and only then advances the checkpoint (conditional on the lease).
 * A crash anywhere before the checkpoint means the same records are read again and the function
 * is called again with the same idempotency keys: at-least-once calls, effectively once through
 * the key and the conditional mark.
 */
final class ShardRunner implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ShardRunner.class);

    /** A record that fires the trigger: as the store wrote it, and as the role sees it. */
    private record Pending(JsonNode raw, ObjectNode shown) {
        String eventId() {
            return raw.path("eventID").asText();
        }

        String sequence() {
            return raw.path("dynamodb").path("SequenceNumber").asText();
        }
    }

    private final LifecycleWorker worker;
    private final String triggerId;
    private final StreamInfo.Shard shard;
    private final StreamInfo stream;
    private LeaseTable.Lease lease;
    private long renewedAt;
    private volatile boolean shed;
    private volatile boolean stopped;
    volatile Thread thread;
    /** {@link #behindMillis}; -1 before the first read. */
    private volatile long behindMillis = -1;

    ShardRunner(LifecycleWorker worker, String triggerId, StreamInfo stream, StreamInfo.Shard shard, LeaseTable.Lease lease) {
        this.worker = worker;
        this.triggerId = triggerId;
        this.stream = stream;
        this.shard = shard;
        this.lease = lease;
        this.renewedAt = worker.now();
    }

    /** Asks the runner to give its lease up at the next step (another instance is to take the shard). */
    void shed() {
        shed = true;
    }

    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) t.interrupt();
    }

    /**
     * How far this runner is behind its shard, in milliseconds: at its last read, the age of the
     * newest record it read (the records it is handling now, whose checkpoint is still to come);
     * 0 when that read found nothing new (it is at the shard's tip) or the shard's end; -1 before
     * its first read. Record ages come from the store's {@code ApproximateCreationDateTime}
     * (whole seconds on the bundled store).
     */
    long behindMillis() {
        return behindMillis;
    }

        String shardId() {
        return shard.id();
    }

    @Override public void run() {
        thread = Thread.currentThread();
        String iterator = null;
        try {
            while (!stopped && !shed && !Thread.currentThread().isInterrupted()) {
                TriggerSpec spec = worker.trigger(triggerId);
                if (spec == null) break; // removed from the policy
                try {
                    renewIfDue();
                    if (iterator == null) iterator = iterator(lease.checkpoint());
                    ObjectNode req = StoreClient.object();
                    req.put("ShardIterator", iterator);
                    req.put("Limit", worker.options().pageLimit());
                    JsonNode page = worker.store().streams("GetRecords", req);
                    List<JsonNode> records = new ArrayList<>();
                    page.path("Records").forEach(records::add);
                    String next = page.hasNonNull("NextShardIterator") ? page.get("NextShardIterator").asText() : null;
                    behindMillis = records.isEmpty() || next == null ? 0 : ageMillis(records.getLast());
                    handle(spec, records);
                    String last = records.isEmpty() ? null : records.getLast().path("dynamodb").path("SequenceNumber").asText();
                    if (last != null || next == null) checkpoint(last, next == null);
                    if (next == null) {
                        log.debug("trigger {}: shard {} read to its end", triggerId, shard.id());
                        return;
                    }
                    iterator = next;
                    if (records.isEmpty()) Thread.sleep(worker.options().poll());
                    worker.clearProblem(spec);
                } catch (StoreException e) {
                    iterator = null; // start again from the checkpoint: what was handled after it is handled again
                    worker.problem(spec, "the store failed: " + e.getMessage());
                    Thread.sleep(worker.options().poll());
                } catch (RecordView.Refused e) {
                    iterator = null;
                    worker.problem(spec, "the role's view refuses the stream: " + e.getMessage());
                    Thread.sleep(worker.options().poll());
                }
            }
        } catch (LeaseLost e) {
            log.info("trigger {}: {}", triggerId, e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            release();
            worker.finished(this);
        }
    }

    private long ageMillis(JsonNode record) {
        double created = record.path("dynamodb").path("ApproximateCreationDateTime").asDouble(-1);
        if (created < 0) return 0;
        return Math.max(0, worker.clock().millis() - (long) (created * 1000));
    }

        private void release() {
        try {
            worker.leases().release(lease);
        } catch (StoreException | RuntimeException e) {
            log.debug("trigger {}: releasing {}: {}", triggerId, shard.id(), e.toString());
        }
    }

    private String iterator(String checkpoint) throws StoreException {
        ObjectNode req = StoreClient.object();
        req.put("StreamArn", stream.arn());
        req.put("ShardId", shard.id());
        if (checkpoint == null) {
            req.put("ShardIteratorType", "TRIM_HORIZON");
        } else {
            req.put("ShardIteratorType", "AFTER_SEQUENCE_NUMBER");
            req.put("SequenceNumber", checkpoint);
        }
        try {
            return worker.store().streams("GetShardIterator", req).path("ShardIterator").asText();
        } catch (StoreException e) {
            if (checkpoint == null || !e.is("TrimmedDataAccessException")) throw e;
            log.warn("trigger {}: records after the checkpoint of shard {} were trimmed; going on from the oldest kept",
                    triggerId, shard.id());
            req.put("ShardIteratorType", "TRIM_HORIZON");
            req.remove("SequenceNumber");
            return worker.store().streams("GetShardIterator", req).path("ShardIterator").asText();
        }
    }

    private void handle(TriggerSpec spec, List<JsonNode> records)
            throws StoreException, RecordView.Refused, LeaseLost, InterruptedException {
        List<String> marks = worker.marksOf(spec.table());
        List<Pending> batch = new ArrayList<>();
        for (JsonNode raw : records) {
            if (!(RecordFilter.judge(spec, raw, marks, worker.view(), stream.viewType(), stream.keyAttributes())
                    instanceof Judgement.Fires fires)) {
                continue;
            }
            batch.add(new Pending(raw, fires.input()));
            if (batch.size() == spec.batch()) {
                deliver(spec, batch);
                checkpoint(batch.getLast().sequence(), false);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) deliver(spec, batch);
    }

    /** Calls the function for the batch; on failure bisects it, and a single record that keeps failing goes to the dead letters. */
    private void deliver(TriggerSpec spec, List<Pending> batch)
            throws StoreException, LeaseLost, InterruptedException {
        Backoff backoff = new Backoff(spec.backoffLow(), spec.backoffHigh());
        CallResult result = call(spec, batch, 1);
        if (result.ok()) {
            mark(spec, batch);
            return;
        }
        if (batch.size() > 1) {
            Thread.sleep(backoff.before(1, ThreadLocalRandom.current()));
            int half = batch.size() / 2;
            deliver(spec, List.copyOf(batch.subList(0, half)));
            deliver(spec, List.copyOf(batch.subList(half, batch.size())));
            return;
        }
        int attempt = 1;
        while (!result.ok() && attempt <= spec.retries()) {
            Thread.sleep(backoff.before(attempt, ThreadLocalRandom.current()));
            attempt++;
            result = call(spec, batch, attempt);
        }
        if (result.ok()) {
            mark(spec, batch);
            return;
        }
        Pending p = batch.getFirst();
        worker.deadLetters().put(spec.id(), p.eventId(), p.shown().toString(), result.error(), attempt,
                worker.clock().instant());
        worker.listener().deadLettered(spec, p.eventId(), result.error(), attempt);
    }

    private CallResult call(TriggerSpec spec, List<Pending> batch, int attempt) throws StoreException, LeaseLost {
        renewIfDue();
        List<ObjectNode> records = batch.stream().map(Pending::shown).toList();
        List<String> ids = batch.stream().map(Pending::eventId).toList();
        CallResult result = worker.functions().call(spec.url(), spec.id(), spec.table(), records, ids);
        worker.listener().called(spec, ids, result, attempt);
        return result;
    }

    /**
     * {@code SET mark = :seq} on each changed item, under {@code attribute_exists(key) AND
     * (attribute_not_exists(mark) OR mark < :seq)}: one version never completes twice, an older
     * event never overwrites a newer mark, and a deleted item is not re-created holding only its key and the mark.
     */
    private void mark(TriggerSpec spec, List<Pending> batch) throws StoreException {
        for (Pending p : batch) {
            Optional<RecordFilter.MarkWrite> write = RecordFilter.markOf(spec, p.raw()); // none for a REMOVE: no item left
            if (write.isEmpty()) continue;
            ObjectNode keys = write.get().key();
            String firstKey = keys.fieldNames().next();
            ObjectNode req = StoreClient.object();
            req.put("TableName", spec.table());
            req.set("Key", keys);
            req.put("UpdateExpression", "SET #m = :seq");
            req.put("ConditionExpression", "attribute_exists(#k) AND (attribute_not_exists(#m) OR #m < :seq)");
            ObjectNode names = req.putObject("ExpressionAttributeNames");
            names.put("#m", write.get().attribute());
            names.put("#k", firstKey);
            req.putObject("ExpressionAttributeValues").set(":seq", Json.n(write.get().sequence().toString()));
            boolean written;
            try {
                worker.store().dynamo("UpdateItem", req);
                written = true;
            } catch (StoreException e) {
                if (!e.conditionFailed()) throw e;
                written = false;
            }
            worker.listener().marked(spec, p.eventId(), written);
        }
    }

    private void renewIfDue() throws StoreException, LeaseLost {
        long now = worker.now();
        long leaseMs = worker.options().lease().toMillis();
        if (now - renewedAt < leaseMs / 3) return;
        if (!worker.leases().renew(lease, now, leaseMs)) throw new LeaseLost(shard.id());
        renewedAt = now;
    }

    private void checkpoint(String sequence, boolean done) throws StoreException, LeaseLost {
        long now = worker.now();
        if (!worker.leases().checkpoint(lease, sequence, done, now, worker.options().lease().toMillis())) {
            throw new LeaseLost(shard.id());
        }
        renewedAt = now;
        if (sequence != null) {
            lease = new LeaseTable.Lease(lease.trigger(), lease.shard(), lease.owner(), lease.expires(), sequence, done);
        }
    }
}
