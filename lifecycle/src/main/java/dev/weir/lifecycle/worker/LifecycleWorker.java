package dev.weir.lifecycle.worker;

import dev.weir.lifecycle.call.FunctionClient;
import dev.weir.lifecycle.store.DeadLetters;
import dev.weir.lifecycle.store.LeaseTable;
import dev.weir.lifecycle.store.StoreClient;
import dev.weir.lifecycle.store.StoreException;
import dev.weir.policy.trigger.RecordFilter;
import dev.weir.policy.trigger.RecordView;
import dev.weir.policy.trigger.TriggerSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the policy's triggers on this weir instance (docs/triggers.md). Every {@code poll} a
 * coordinator step: records this instance's heartbeat, reads the lease table, and for each
 * trigger lists its table's stream shards; a shard is eligible while it is not done and its
 * parent is done (or gone), so a child is never read before its parent (lineage). Each instance
 * aims at its fair share of each trigger's eligible shards (divided by the live instances): it
 * takes free or expired leases up to it and sheds leases above it, so adding an instance spreads
 * the load and a lost instance's shards are taken once its leases expire. Each held shard runs
 * in its own virtual thread ({@link ShardRunner}).
 *
 * <p>The triggers come from a supplier read on every step: a policy reload adds, changes and
 * removes triggers without a restart.
 */
public final class LifecycleWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LifecycleWorker.class);

    private final StoreClient store;
    private final Supplier<List<TriggerSpec>> triggers;
    private final RecordView view;
    private final FunctionClient functions;
    private final LifecycleListener listener;
    private final LifecycleOptions options;
    private final Clock clock;
    private final LeaseTable leases;
    private final DeadLetters deadLetters;
    private final Map<String, ShardRunner> runners = new ConcurrentHashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private final ScheduledExecutorService coordinator;
    private volatile boolean tablesReady;
    private volatile boolean closed;

    public LifecycleWorker(StoreClient store, Supplier<List<TriggerSpec>> triggers, RecordView view, FunctionClient functions,
                           LifecycleListener listener, LifecycleOptions options, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.triggers = Objects.requireNonNull(triggers);
        this.view = Objects.requireNonNull(view);
        this.functions = Objects.requireNonNull(functions);
        this.listener = Objects.requireNonNull(listener);
        this.options = Objects.requireNonNull(options);
        this.clock = Objects.requireNonNull(clock);
        this.leases = new LeaseTable(store);
        this.deadLetters = new DeadLetters(store);
        this.coordinator = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("weir-lifecycle").factory());
    }

    /** Starts the coordinator; it runs until {@link #close()}. */
    public LifecycleWorker start() {
        coordinator.scheduleWithFixedDelay(this::stepQuietly, 0, options.poll().toMillis(), TimeUnit.MILLISECONDS);
        log.info("lifecycle worker {} started (lease {} ms, poll {} ms)", options.instanceId(), options.lease().toMillis(),
                options.poll().toMillis());
        return this;
    }

    private void stepQuietly() {
        try {
            step();
        } catch (RuntimeException e) {
            log.warn("lifecycle step failed: {}", e.toString());
        }
    }

    /** One coordinator step (public for tests that drive the worker by hand). */
    public void step() {
        if (closed) return;
        List<TriggerSpec> specs = triggers.get();
        if (specs.isEmpty()) return;
        long now = now();
        long leaseMs = options.lease().toMillis();
        List<LeaseTable.Row> rows;
        try {
            if (!tablesReady) {
                leases.ensure();
                deadLetters.ensure();
                tablesReady = true;
            }
            leases.heartbeat(options.instanceId(), now, leaseMs);
            rows = leases.scan();
        } catch (StoreException e) {
            for (TriggerSpec t : specs) problem(t, "the store failed: " + e.getMessage());
            return;
        }
        Map<String, LeaseTable.Row> byKey = new HashMap<>();
        int live = 0;
        for (LeaseTable.Row r : rows) {
            byKey.put(r.pk(), r);
            if (r.pk().startsWith("instance|") && r.expires() > now) live++;
        }
        live = Math.max(live, 1);
        Map<String, StreamInfo> streams = new HashMap<>();
        for (TriggerSpec spec : specs) {
            if (closed) return;
            StreamInfo stream;
            try {
                stream = streams.containsKey(spec.table()) ? streams.get(spec.table()) : stream(spec, streams);
            } catch (StoreException e) {
                problem(spec, "the store failed: " + e.getMessage());
                continue;
            }
            if (stream == null) continue;
            if (!functions.canSign(spec.id())) {
                problem(spec, "no signing secret for its calls (set lifecycle.signing_secret, WEIR_TRIGGER_SECRET or "
                        + "WEIR_TRIGGER_SECRET_<ID>): the trigger does not run");
                continue;
            }
            balance(spec, stream, byKey, live, now, leaseMs);
        }
        // runners of triggers that are gone stop by themselves (they look their trigger up on every page)
    }

    private StreamInfo stream(TriggerSpec spec, Map<String, StreamInfo> streams) throws StoreException {
        String[] why = new String[1];
        StreamInfo s = StreamInfo.of(store, spec.table(), why);
        streams.put(spec.table(), s);
        if (s == null) {
            for (TriggerSpec t : triggers.get()) if (t.table().equals(spec.table())) problem(t, why[0]);
        }
        return s;
    }

    private void balance(TriggerSpec spec, StreamInfo stream, Map<String, LeaseTable.Row> rows, int live, long now, long leaseMs) {
        Set<String> ids = new HashSet<>();
        for (StreamInfo.Shard s : stream.shards()) ids.add(s.id());
        List<StreamInfo.Shard> eligible = new ArrayList<>();
        for (StreamInfo.Shard s : stream.shards()) {
            LeaseTable.Row row = rows.get(LeaseTable.shardKey(spec.id(), s.id()));
            if (row != null && row.done()) continue;
            if (s.parent() != null && ids.contains(s.parent())) {
                LeaseTable.Row parent = rows.get(LeaseTable.shardKey(spec.id(), s.parent()));
                if (parent == null || !parent.done()) continue;
            }
            eligible.add(s);
        }
        int share = (eligible.size() + live - 1) / live;
        List<ShardRunner> mine = runners.entrySet().stream().filter(e -> e.getKey().startsWith(spec.id() + "|"))
                .map(Map.Entry::getValue).toList();
        int held = mine.size();
        for (int i = share; i < mine.size(); i++) {
            mine.get(i).shed();
            held--;
        }
        for (StreamInfo.Shard s : eligible) {
            if (held >= share || closed) break;
            String key = spec.id() + "|" + s.id();
            if (runners.containsKey(key)) continue;
            LeaseTable.Row row = rows.get(LeaseTable.shardKey(spec.id(), s.id()));
            if (row != null && row.owner() != null && !row.owner().equals(options.instanceId()) && row.expires() >= now) continue;
            try {
                Optional<LeaseTable.Lease> lease = leases.acquire(spec.id(), s.id(), options.instanceId(), now, leaseMs);
                if (lease.isEmpty()) continue;
                ShardRunner runner = new ShardRunner(this, spec.id(), stream, s, lease.get());
                runners.put(key, runner);
                held++;
                log.info("trigger {}: {} took shard {}{}", spec.id(), options.instanceId(), s.id(),
                        lease.get().checkpoint() == null ? "" : " at " + lease.get().checkpoint());
                Thread.ofVirtual().name("weir-trigger-" + spec.id() + "-" + s.id()).start(runner);
            } catch (StoreException e) {
                problem(spec, "the store failed: " + e.getMessage());
                return;
            }
        }
    }

    // ------------------------------------------------------------------ for the runners

    TriggerSpec trigger(String id) {
        if (closed) return null;
        for (TriggerSpec t : triggers.get()) if (t.id().equals(id)) return t;
        return null;
    }

    /** Every completion mark of the table's triggers: a change of these alone fires nothing. */
    List<String> marksOf(String table) {
        return RecordFilter.marksOn(triggers.get(), table);
    }

    void finished(ShardRunner runner) {
        runners.values().remove(runner);
    }

    void problem(TriggerSpec spec, String reason) {
        if (spec == null) return;
        if (!reason.equals(problems.put(spec.id(), reason))) {
            log.warn("trigger {}: {}", spec.id(), reason);
            listener.problem(spec, reason);
        }
    }

    void clearProblem(TriggerSpec spec) {
        problems.remove(spec.id());
    }

    long now() {
        return clock.millis();
    }

    StoreClient store() {
        return store;
    }

    LeaseTable leases() {
        return leases;
    }

    DeadLetters deadLetters() {
        return deadLetters;
    }

    RecordView view() {
        return view;
    }

    FunctionClient functions() {
        return functions;
    }

    LifecycleListener listener() {
        return listener;
    }

    LifecycleOptions options() {
        return options;
    }

    Clock clock() {
        return clock;
    }

    /** The shards this instance runs now, as {@code trigger|shard} (for tests and metrics). */
    public Set<String> running() {
        return Set.copyOf(runners.keySet());
    }

    /**
     * How far behind each shard this instance runs is, in milliseconds, as {@code trigger|shard}
     * to {@link ShardRunner#behindMillis} (-1: not read yet). For metrics and the console.
     */
    public Map<String, Long> behindMillis() {
        Map<String, Long> out = new java.util.TreeMap<>();
        runners.forEach((key, runner) -> out.put(key, runner.behindMillis()));
        return out;
    }

        /** Stops the coordinator and every runner, releasing their leases so other instances go on at once. */
    @Override public void close() {
        closed = true;
        coordinator.shutdownNow();
        List<ShardRunner> all = new ArrayList<>(runners.values());
        all.forEach(ShardRunner::stop);
        for (ShardRunner r : all) {
            Thread t = r.thread;
            if (t != null) {
                try {
                    t.join(options.callTimeout().toMillis() + 2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        try {
            coordinator.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
