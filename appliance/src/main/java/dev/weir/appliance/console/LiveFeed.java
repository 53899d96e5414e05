package dev.weir.appliance.console;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.sink.AuditSink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console's window on recent decisions: an audit sink (named {@value #SINK_NAME}) that the
 * audit pipeline ships every spooled event to, like any other sink, and that keeps the last
 * requests in a ring, per-minute counts per rule and per principal, the reload history and the
 * trigger worker's outcomes in memory.
 *
 * <p>It keeps only what a {@link Seen} names: who, from where, what operation on which table, the
 * decision and its rules, the names of masked and removed fields, status and timings. It drops the
 * item keys an audit record carries (key attribute values) and the notes of request records, so
 * the console can show no stored value even by mistake; it never had one. Reload notes (file,
 * line, column and message of each policy error) are kept: they quote no source line.
 */
public final class LiveFeed implements AuditSink {
    public static final String SINK_NAME = "console";
    /** Minutes of per-rule and per-principal counts kept. */
    public static final int MINUTES = 60;
    static final int RELOADS = 50;

    /** One answered request as the console shows it: names and numbers, no value. */
    public record Seen(long sequence, long timeMicros, String principal, List<String> roles, String source, String operation,
                       String table, String index, String decision, List<String> rules, List<String> masked,
                       List<String> removed, int status, String errorType, long latencyMicros, long decideMicros,
                       String policyHash) {
        static Seen of(AuditEvent e) {
            return new Seen(e.sequence(), e.timeMicros(), e.principal(), e.roles(), e.sourceAddress(), e.operation(), e.table(),
                    e.index(), e.decision(), e.ruleIds(), e.maskedFields(), e.removedFields(), e.status(), e.errorType(),
                    e.latencyMicros(), e.decideMicros(), e.policyHash());
        }

        public boolean allowed() {
            return "ALLOWED".equals(decision);
        }
    }

    /** One reload of the policy or the principals file: taken or refused, and why. */
    public record Reload(long timeMicros, String what, boolean applied, String hash, String note) {}

    /** Counts per minute (epoch minute → key → count) over the kept minutes. */
    public record Counts(List<Long> minutes, Map<String, Map<Long, Long>> byKey) {}

    private final int capacity;
    private final ArrayDeque<Seen> ring;
    private final ArrayDeque<Reload> reloads = new ArrayDeque<>();
    private final TreeMap<Long, Map<String, Long>> byRule = new TreeMap<>();
    private final TreeMap<Long, Map<String, Long>> byPrincipal = new TreeMap<>();
    private final Map<String, Long> triggers = new TreeMap<>();
    private long requests, denied;

    /** @param capacity how many requests the ring keeps */
    public LiveFeed(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(capacity);
    }

    @Override
    public synchronized void write(AuditEvent e) {
        String op = e.operation();
        if (op != null && op.startsWith("weir:")) {
            system(e);
            return;
        }
        // in sync mode a forwarded request has a decision record and then its outcome: count it once, on the outcome
        if (AuditEvent.DECISION.equals(e.phase())) return;
        if (ring.size() == capacity) ring.removeFirst();
        Seen seen = Seen.of(e);
        ring.addLast(seen);
        requests++;
        if (!seen.allowed()) denied++;
        long minute = e.timeMicros() / 60_000_000L;
        List<String> rules = e.ruleIds().isEmpty() ? List.of("(no rule: default deny)") : e.ruleIds();
        for (String r : rules) count(byRule, minute, r);
        count(byPrincipal, minute, e.principal() == null ? "(unidentified)" : e.principal());
    }

    private void system(AuditEvent e) {
        String op = e.operation();
        if (op.equals("weir:PolicyReload") || op.equals("weir:PrincipalsReload")) {
            if (reloads.size() == RELOADS) reloads.removeFirst();
            reloads.addLast(new Reload(e.timeMicros(), op.equals("weir:PolicyReload") ? "policy" : "principals",
                    "RELOADED".equals(e.decision()), e.policyHash(), e.note()));
        } else if (op.startsWith("weir:Trigger")) {
            String key = op.substring("weir:".length()) + " " + (e.table() == null ? "-" : e.table()) + " "
                    + String.join(",", e.ruleIds()) + " " + e.decision();
            triggers.merge(key, 1L, Long::sum);
        }
    }

    private static void count(TreeMap<Long, Map<String, Long>> buckets, long minute, String key) {
        buckets.computeIfAbsent(minute, m -> new HashMap<>()).merge(key, 1L, Long::sum);
        while (!buckets.isEmpty() && buckets.firstKey() <= buckets.lastKey() - MINUTES) buckets.pollFirstEntry();
    }

    /** The requests kept, newest first. */
    public synchronized List<Seen> recent() {
        List<Seen> out = new ArrayList<>(ring);
        java.util.Collections.reverse(out);
        return out;
    }

    /** Reloads kept, newest first. */
    public synchronized List<Reload> reloads() {
        List<Reload> out = new ArrayList<>(reloads);
        java.util.Collections.reverse(out);
        return out;
    }

    /** Trigger worker records seen: "kind table trigger decision" → count. */
    public synchronized Map<String, Long> triggerCounts() {
        return Map.copyOf(triggers);
    }

    /** Requests seen since start (not only those the ring keeps). */
    public synchronized long requests() {
        return requests;
    }

    /** Refused requests seen since start. */
    public synchronized long denied() {
        return denied;
    }

    /** Per-rule counts for the last {@code minutes} minutes that saw a request, oldest first. */
    public synchronized Counts byRule(int minutes) {
        return counts(byRule, minutes);
    }

    /** Per-principal counts for the last {@code minutes} minutes that saw a request, oldest first. */
    public synchronized Counts byPrincipal(int minutes) {
        return counts(byPrincipal, minutes);
    }

    private static Counts counts(TreeMap<Long, Map<String, Long>> buckets, int minutes) {
        List<Long> keys = new ArrayList<>(buckets.descendingKeySet().stream().limit(minutes).toList());
        java.util.Collections.reverse(keys);
        Map<String, Map<Long, Long>> out = new TreeMap<>();
        for (Long m : keys) {
            buckets.get(m).forEach((k, n) -> out.computeIfAbsent(k, x -> new TreeMap<>()).put(m, n));
        }
        return new Counts(List.copyOf(keys), out);
    }

    @Override
    public void flush() {
        // memory only: nothing to make durable
    }

    @Override
    public void close() {
        // nothing held
    }
}
