package dev.weir.store.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.engine.Batch;
import dev.weir.store.engine.Column;
import dev.weir.store.engine.Cursor;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.item.PrimaryKey;
import dev.weir.store.table.KeyElement;
import dev.weir.store.table.KeySchema;
import dev.weir.store.table.ScalarType;
import dev.weir.store.table.TableDefinition;
import dev.weir.store.table.TableStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * Every change stream of the store, enabled or disabled (a disabled stream stays readable for
 * the retention period, also after its table is deleted), persisted in the {@code streams}
 * column family. Writes of a streaming table {@link #append append} their change record to the
 * same RocksDB batch as the item, so the record exists exactly when the write does.
 *
 * <p>Shards: {@code shardsPerStream} hash ranges; an item's records always go to the shard
 * chain of its partition key's range, so its changes stay in order. Each shard is closed and
 * succeeded by a child (ParentShardId) after {@code shardLifetime}, on time only. Records
 * older than {@link #RETENTION} are trimmed by {@link #trim}.
 */
public final class StreamCatalog {
    public static final Duration RETENTION = Duration.ofHours(24);
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /** A record given a sequence number and staged in a batch: released once the batch is written or failed. */
    public record Ticket(StreamState stream, Shard shard, long seq) {}

    private final RocksEngine engine;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final LongSupplier ids;
    private final int shardsPerStream;
    private final long lifetimeMicros;
    private final ShardIterators iterators;
    private final ConcurrentSkipListMap<String, StreamState> byArn = new ConcurrentSkipListMap<>();
    private final Map<Long, StreamState> byNo = new ConcurrentHashMap<>();

    private StreamCatalog(RocksEngine engine, ObjectMapper mapper, Clock clock, LongSupplier ids, int shardsPerStream,
                          Duration shardLifetime, byte[] iteratorKey) {
        this.engine = engine;
        this.mapper = mapper;
        this.clock = clock;
        this.ids = ids;
        this.shardsPerStream = shardsPerStream;
        this.lifetimeMicros = shardLifetime.toNanos() / 1000;
        this.iterators = new ShardIterators(iteratorKey);
    }

    /** The streams stored in {@code engine}, each shard's last sequence number recovered from its records. */
    public static StreamCatalog load(RocksEngine engine, ObjectMapper mapper, Clock clock, LongSupplier ids, int shardsPerStream,
                                     Duration shardLifetime) {
        byte[] key = engine.get(Column.STREAMS, StreamKeys.ITERATOR_KEY);
        if (key == null) {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
            engine.put(Column.STREAMS, StreamKeys.ITERATOR_KEY, key);
        }
        StreamCatalog catalog = new StreamCatalog(engine, mapper, clock, ids, shardsPerStream, shardLifetime, key);
        List<StreamState> loaded = new ArrayList<>();
        engine.scanPrefix(Column.STREAMS, StreamKeys.META_PREFIX, (k, v) -> loaded.add(catalog.decode(v)));
        for (StreamState s : loaded) {
            for (Shard shard : s.shards) catalog.recoverLastSeq(s, shard);
            catalog.byArn.put(s.arn, s);
            catalog.byNo.put(s.streamNo, s);
        }
        return catalog;
    }

    ShardIterators iterators() {
        return iterators;
    }

    Clock clock() {
        return clock;
    }

    RocksEngine engine() {
        return engine;
    }

    /** Opens a new stream for {@code table}, labelled with the time (a new label, and ARN, on each enable). */
    public TableStream create(TableDefinition table, StreamViewType view) {
        long millis = clock.millis();
        String label;
        while (true) {
            label = LABEL.format(Instant.ofEpochMilli(millis));
            if (!byArn.containsKey(table.arn() + "/stream/" + label)) break;
            millis++;
        }
        long no = ids.getAsLong();
        StreamState s = new StreamState(no, table.arn() + "/stream/" + label, label, table.name(), table.keySchema(), view, millis);
        long micros = SequenceNumbers.nowMicros(clock);
        synchronized (s) {
            for (int slot = 0; slot < shardsPerStream; slot++) s.openShard(slot, null, micros);
            persist(s);
        }
        byArn.put(s.arn, s);
        byNo.put(no, s);
        return new TableStream(no, label, view, true);
    }

    /** Disables a stream: its shards close; it stays readable for the retention period. */
    public void disable(long streamNo) {
        StreamState s = byNo.get(streamNo);
        if (s == null) return;
        synchronized (s) {
            if (!s.enabled()) return;
            s.disable(clock.millis(), SequenceNumbers.nowMicros(clock));
            persist(s);
        }
    }

    /**
     * Stages the record of one change of an item of {@code table} in {@code batch}, with the next
     * sequence number of its shard; the caller writes the batch, then {@link #release releases}
     * the ticket whether the write succeeded or not. Null (no record) if the stream was disabled
     * meanwhile: the write then commits after the stream's end.
     */
    public Ticket append(Batch batch, TableDefinition table, PrimaryKey key, Map<String, AttributeValue> old,
                         Map<String, AttributeValue> next, boolean byService) {
        StreamState s = byNo.get(table.stream().streamNo());
        if (s == null) throw new IllegalStateException("stream of " + table.name() + " not loaded");
        Map<String, AttributeValue> keys = new LinkedHashMap<>();
        keys.put(table.keySchema().hash().name(), key.hash());
        table.keySchema().range().ifPresent(r -> keys.put(r.name(), key.range()));
        int slot = slot(key);
        long nowMicros = SequenceNumbers.nowMicros(clock);
        Shard shard;
        long seq;
        synchronized (s) {
            if (!s.enabled()) return null;
            if (s.roll(nowMicros, lifetimeMicros)) persist(s);
            shard = s.openShard(slot);
            seq = Math.max(shard.lastSeq + 1, nowMicros);
            shard.lastSeq = seq;
            shard.inFlight.add(seq);
        }
        try {
            byte[] value = mapper.writeValueAsBytes(ChangeRecords.of(s.viewType, keys, old, next, seq, clock.millis(), byService));
            batch.put(Column.STREAMS, StreamKeys.record(s.streamNo, shard.ordinal, seq), value);
        } catch (IOException | RuntimeException e) {
            release(List.of(new Ticket(s, shard, seq)));
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        return new Ticket(s, shard, seq);
    }

    public void release(List<Ticket> tickets) {
        for (Ticket t : tickets) {
            synchronized (t.stream()) {
                t.shard().inFlight.remove(t.seq());
            }
        }
    }

    /** The hash range of an item: by its partition key only, so all of an item's records share one shard chain. */
    private int slot(PrimaryKey key) {
        if (shardsPerStream == 1) return 0;
        byte[] hash = dev.weir.store.codec.KeyCodec.encode(0, key.hash(), null);
        return Math.floorMod(Arrays.hashCode(hash) * 0x9E3779B9, shardsPerStream);
    }

    StreamState find(String arn) {
        return arn == null ? null : byArn.get(arn);
    }

    StreamState find(long streamNo) {
        return byNo.get(streamNo);
    }

    /** Streams in ARN order, after {@code exclusiveStart} if given. */
    List<StreamState> list(String tableName, String exclusiveStart) {
        var view = exclusiveStart == null ? byArn.values() : byArn.tailMap(exclusiveStart, false).values();
        List<StreamState> out = new ArrayList<>();
        for (StreamState s : view) if (tableName == null || s.tableName.equals(tableName)) out.add(s);
        return out;
    }

    /** Rolls the shards of {@code s} that are due, persisting the change. */
    void rollIfDue(StreamState s) {
        synchronized (s) {
            if (s.roll(SequenceNumbers.nowMicros(clock), lifetimeMicros)) persist(s);
        }
    }

    /**
     * Retention: removes records older than {@link #RETENTION}, closed shards with nothing left,
     * and streams disabled longer than that; rolls shards that are due. Runs on the sweeper's thread.
     */
    public void trim() {
        long nowMillis = clock.millis();
        long cutoffMicros = (nowMillis - RETENTION.toMillis()) * 1000;
        for (StreamState s : List.copyOf(byArn.values())) {
            if (!s.enabled() && s.disabledMillis <= nowMillis - RETENTION.toMillis()) {
                engine.write(new Batch().deleteRange(Column.STREAMS, StreamKeys.streamStart(s.streamNo), StreamKeys.streamEnd(s.streamNo))
                        .delete(Column.STREAMS, StreamKeys.meta(s.streamNo)));
                byArn.remove(s.arn);
                byNo.remove(s.streamNo);
                continue;
            }
            rollIfDue(s);
            synchronized (s) {
                boolean changed = false;
                Batch batch = new Batch();
                for (Shard shard : List.copyOf(s.shards)) {
                    long last = lastRecordBefore(s.streamNo, shard.ordinal, cutoffMicros);
                    if (last >= 0 && last > shard.trimmedThrough) {
                        batch.deleteRange(Column.STREAMS, StreamKeys.record(s.streamNo, shard.ordinal, 0),
                                StreamKeys.record(s.streamNo, shard.ordinal, last + 1));
                        shard.trimmedThrough = last;
                        changed = true;
                    }
                    if (!shard.open() && shard.closedMicros < cutoffMicros && shard.inFlight.isEmpty()) {
                        s.shards.remove(shard);
                        changed = true;
                    }
                }
                if (changed) {
                    batch.put(Column.STREAMS, StreamKeys.meta(s.streamNo), encode(s));
                    engine.write(batch);
                }
            }
        }
    }

    private long lastRecordBefore(long streamNo, int ordinal, long beforeMicros) {
        try (Cursor c = engine.cursor(Column.STREAMS)) {
            c.seekForPrev(StreamKeys.record(streamNo, ordinal, Math.max(0, beforeMicros - 1)));
            if (c.valid() && StreamKeys.inShard(c.key(), streamNo, ordinal)) return StreamKeys.seqOf(c.key());
        }
        return -1;
    }

    private void recoverLastSeq(StreamState s, Shard shard) {
        long last = lastRecordBefore(s.streamNo, shard.ordinal, Long.MAX_VALUE);
        if (last > shard.lastSeq) shard.lastSeq = last;
        if (shard.trimmedThrough > shard.lastSeq) shard.lastSeq = shard.trimmedThrough;
    }

    /** Writes the description of {@code s}, synced; the caller holds its monitor. */
    private void persist(StreamState s) {
        engine.put(Column.STREAMS, StreamKeys.meta(s.streamNo), encode(s));
    }

    private byte[] encode(StreamState s) {
        ObjectNode o = mapper.createObjectNode();
        o.put("v", 1).put("no", s.streamNo).put("arn", s.arn).put("label", s.label).put("table", s.tableName)
                .put("view", s.viewType.name()).put("created", s.createdMillis).put("disabled", s.disabledMillis)
                .put("nextOrdinal", s.nextOrdinal);
        ArrayNode keys = o.putArray("keys");
        for (KeyElement e : s.keySchema.elements()) keys.addObject().put("name", e.name()).put("type", e.type().name());
        ArrayNode shards = o.putArray("shards");
        for (Shard sh : s.shards) {
            ObjectNode n = shards.addObject().put("id", sh.shardId).put("slot", sh.slot).put("ordinal", sh.ordinal)
                    .put("opened", sh.openedMicros).put("closed", sh.closedMicros).put("trimmed", sh.trimmedThrough);
            if (sh.parentShardId != null) n.put("parent", sh.parentShardId);
        }
        try {
            return mapper.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StreamState decode(byte[] bytes) {
        JsonNode o;
        try {
            o = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (o.path("v").asInt() != 1) throw new IllegalStateException("unknown stream encoding " + o.path("v"));
        List<KeyElement> keys = new ArrayList<>();
        for (JsonNode k : o.path("keys")) keys.add(new KeyElement(k.path("name").asText(), ScalarType.valueOf(k.path("type").asText())));
        StreamState s = new StreamState(o.path("no").asLong(), o.path("arn").asText(), o.path("label").asText(),
                o.path("table").asText(), KeySchema.of(keys.get(0), keys.size() > 1 ? keys.get(1) : null),
                StreamViewType.valueOf(o.path("view").asText()), o.path("created").asLong());
        s.disabledMillis = o.path("disabled").asLong();
        s.nextOrdinal = o.path("nextOrdinal").asInt();
        for (JsonNode n : o.path("shards")) {
            Shard sh = new Shard(n.path("id").asText(), n.hasNonNull("parent") ? n.path("parent").asText() : null,
                    n.path("slot").asInt(), n.path("ordinal").asInt(), n.path("opened").asLong());
            sh.closedMicros = n.path("closed").asLong();
            sh.trimmedThrough = n.path("trimmed").asLong();
            s.shards.add(sh);
        }
        return s;
    }
}
