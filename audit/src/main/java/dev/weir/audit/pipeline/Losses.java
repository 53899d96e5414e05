package dev.weir.audit.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The audit events lost since the last gap event: their sequence numbers as ranges and a count
 * per reason, so that the gap event says which numbers are missing and why. Publishers (a full
 * queue), shippers (a damaged record) and the writer add to it; the writer takes what a gap
 * event records. Its methods are short and synchronized: they run only when events are lost.
 *
 * <p>The ranges are exact unless there are more than a gap event lists (or than are kept):
 * then the smallest holes between them are filled, so a range may also span numbers that were
 * not lost (the note says how many). A verifier only asks whether a missing number is covered.
 */
final class Losses {
    /** Kept at most between two gap events; beyond it the smallest holes are filled. */
    private static final int MAX_KEPT = 1 << 16;

    /** Why events were lost; the words go into the gap event's note. */
    enum Reason {
        QUEUE_FULL("the queue was full"),
        TIMED_OUT("block_timeout passed before they were queued"),
        SPOOL_FULL("the spool was full (spool_max_bytes)"),
        WRITE_FAILED("the spool could not be written"),
        TOO_LARGE("the event was larger than a spool record may be"),
        SHUTDOWN("the spool could not take them before shutdown_timeout"),
        DAMAGED("their spool records were damaged on disk"),
        UNMADE("the event could not be made from what its request left (a fault in weir)");

        final String words;

        Reason(String words) {
            this.words = words;
        }
    }

    /** One loss as handed over: a range of sequence numbers, or (for damage between instances) a count without numbers. */
    record Lost(long from, long to, long unnumbered, Reason reason, String detail) {
        static Lost one(long seq, Reason reason) {
            return new Lost(seq, seq, 0, reason, null);
        }
    }

    /** What one gap event records; {@code from}/{@code to} and the counts let it be given back if it cannot be written. */
    record Gap(List<String> ranges, long count, String note, long[] from, long[] to, Map<Reason, Long> counts,
               long unnumbered, long spanned, String detail) {}

    private final TreeMap<Long, Long> ranges = new TreeMap<>();  // from -> to, disjoint, not adjacent
    private final Map<Reason, Long> counts = new EnumMap<>(Reason.class);
    private long unnumbered;
    private long spanned;  // numbers inside the ranges that were not lost (holes filled)
    private String detail;

    synchronized boolean isEmpty() {
        return ranges.isEmpty() && unnumbered == 0;
    }

    synchronized void add(Lost l) {
        if (l.to() >= l.from()) addRange(l.from(), l.to());
        counts.merge(l.reason(), l.to() >= l.from() ? l.to() - l.from() + 1 : l.unnumbered(), Long::sum);
        unnumbered += l.unnumbered();
        if (l.detail() != null) detail = l.detail();
        if (ranges.size() > MAX_KEPT) coalesce(MAX_KEPT / 2);
    }

    void add(long seq, Reason reason) {
        add(Lost.one(seq, reason));
    }

    /** The last error text seen (a write error, a damaged record), for the note. */
    synchronized void detail(String d) {
        detail = d;
    }

    private void addRange(long from, long to) {
        Map.Entry<Long, Long> before = ranges.floorEntry(from);
        if (before != null && before.getValue() >= from - 1) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
        }
        Map.Entry<Long, Long> after = ranges.ceilingEntry(from);
        while (after != null && after.getKey() <= to + 1) {
            to = Math.max(to, after.getValue());
            ranges.remove(after.getKey());
            after = ranges.ceilingEntry(from);
        }
        ranges.put(from, to);
    }

    /** Fills the smallest holes between ranges until at most {@code max} ranges remain. */
    private void coalesce(int max) {
        if (ranges.size() <= max) return;
        long[] from = new long[ranges.size()], to = new long[ranges.size()];
        int n = 0;
        for (Map.Entry<Long, Long> r : ranges.entrySet()) {
            from[n] = r.getKey();
            to[n++] = r.getValue();
        }
        long[] holes = new long[n - 1];
        for (int i = 1; i < n; i++) holes[i - 1] = from[i] - to[i - 1] - 1;
        long[] sorted = holes.clone();
        Arrays.sort(sorted);
        int fill = n - max;
        long threshold = sorted[fill - 1];
        int below = 0;
        for (long h : sorted) if (h < threshold) below++;
        int atThreshold = fill - below;  // holes of exactly the threshold size to fill as well
        ranges.clear();
        long start = from[0];
        for (int i = 1; i < n; i++) {
            long h = holes[i - 1];
            boolean close = h < threshold || (h == threshold && atThreshold-- > 0);
            if (close) {
                spanned += h;
            } else {
                ranges.put(start, to[i - 1]);
                start = from[i];
            }
        }
        ranges.put(start, to[n - 1]);
    }

    /**
     * Takes what one gap event records: at most {@code maxRanges} ranges (smaller holes filled
     * if there are more) and every count.
     */
    synchronized Gap take(int maxRanges) {
        coalesce(maxRanges);
        List<String> out = new ArrayList<>();
        long[] from = new long[ranges.size()], to = new long[ranges.size()];
        long numbered = 0;
        for (Map.Entry<Long, Long> r : ranges.entrySet()) {
            from[out.size()] = r.getKey();
            to[out.size()] = r.getValue();
            out.add(r.getKey().equals(r.getValue()) ? Long.toString(r.getKey()) : r.getKey() + "-" + r.getValue());
            numbered += r.getValue() - r.getKey() + 1;
        }
        long count = numbered - spanned + unnumbered;
        StringBuilder note = new StringBuilder().append(count).append(count == 1 ? " audit event was lost" : " audit events were lost");
        if (!counts.isEmpty()) {
            note.append(" (");
            String sep = "";
            for (Map.Entry<Reason, Long> c : counts.entrySet()) {
                note.append(sep).append(c.getValue()).append(": ").append(c.getKey().words);
                sep = "; ";
            }
            note.append(')');
        }
        if (!out.isEmpty()) note.append("; their sequence numbers: ").append(String.join(",", out));
        if (spanned > 0) note.append(" (these ranges also span ").append(spanned).append(" numbers that were not lost)");
        if (unnumbered > 0) note.append("; ").append(unnumbered).append(" damaged spool records whose sequence numbers are unknown");
        if (detail != null) note.append("; last error: ").append(detail);
        Gap gap = new Gap(List.copyOf(out), count, note.toString(), from, to, new EnumMap<>(counts), unnumbered, spanned, detail);
        ranges.clear();
        counts.clear();
        unnumbered = 0;
        spanned = 0;
        detail = null;
        return gap;
    }

    /** Puts back what a gap event held that could not be written; the next gap event records it with the rest. */
    synchronized void giveBack(Gap g) {
        for (int i = 0; i < g.from().length; i++) addRange(g.from()[i], g.to()[i]);
        g.counts().forEach((r, n) -> counts.merge(r, n, Long::sum));
        unnumbered += g.unnumbered();
        spanned += g.spanned();
        if (detail == null) detail = g.detail();
    }
}
