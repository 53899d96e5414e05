package dev.weir.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Accounts for every sequence number in a chained audit directory: each weir instance numbers
 * its events 1, 2, 3, ... , so a number missing between the lowest and the highest seen is an
 * event that never reached this sink (the lowest, since a sink added later, or a directory
 * whose first files were removed, starts in the middle of a run). A gap event ({@code weir:AuditGap}) names the numbers its
 * instance lost; a missing number it covers is a <em>recorded</em> gap (weir knew and said
 * so), one it does not cover is an <em>unrecorded</em> loss. Neither is tampering: the hash
 * chain already proves no record was removed from the files.
 *
 * <p>Reads the JSON formats ({@code ecs}, {@code ocsf}); records of the other formats are
 * counted as not checked. A number seen twice is a record delivered again (at least once); a
 * run of an instance starts anew when its number 1 comes again with another timestamp (the
 * same instance id after a restart).
 */
final class SequenceCheck {
    /** Numbers {@code from}..{@code to} of {@code instance} are missing; {@code where} is the gap event that names them, or null. */
    record Missing(String instance, long from, long to, String where) {
        long count() {
            return to - from + 1;
        }

        @Override
        public String toString() {
            return instance + " " + (from == to ? Long.toString(from) : from + "-" + to)
                    + (where == null ? "" : " (gap event at " + where + ")");
        }
    }

    /** One instance's numbers within one run. */
    private static final class Run {
        final String instance;
        final String firstTime;
        final BitSet seen = new BitSet();
        final List<long[]> recorded = new ArrayList<>();   // {from, to}
        final List<String> recordedWhere = new ArrayList<>();
        long min = Long.MAX_VALUE, max;

        Run(String instance, String firstTime) {
            this.instance = instance;
            this.firstTime = firstTime;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Run> current = new HashMap<>();
    private final List<Run> runs = new ArrayList<>();
    private long checked, unchecked, repeated;

    /** Takes one record (a line without its line feed); {@code where} locates it as FILE:RECORD. */
    void record(byte[] b, int off, int len, String where) {
        if (len == 0 || b[off] != '{') {
            unchecked++;
            return;
        }
        JsonNode n;
        try {
            n = JSON.readTree(b, off, len);
        } catch (Exception notJson) {
            unchecked++;
            return;
        }
        JsonNode seqNode = n.has("event.sequence") ? n.get("event.sequence") : n.at("/metadata/sequence");
        if (!seqNode.isIntegralNumber()) {
            unchecked++;
            return;
        }
        boolean ecs = n.has("event.sequence");
        String instance = ecs ? n.path("observer.name").asText(null) : n.at("/metadata/log_provider").asText(null);
        String time = ecs ? n.path("@timestamp").asText() : n.path("time_dt").asText();
        String action = ecs ? n.path("event.action").asText() : n.at("/api/operation").asText();
        JsonNode lost = ecs ? n.path("weir.audit.lost_sequences") : n.at("/unmapped/lost_sequences");
        long seq = seqNode.asLong();
        if (instance == null || seq < 1 || seq > Integer.MAX_VALUE - 1) {
            unchecked++;
            return;
        }
        checked++;
        Run run = current.get(instance);
        if (run == null || (seq == 1 && run.seen.get(1) && !time.equals(run.firstTime))) {
            run = new Run(instance, seq == 1 ? time : null);
            current.put(instance, run);
            runs.add(run);
        }
        if (run.seen.get((int) seq)) repeated++;
        run.seen.set((int) seq);
        run.min = Math.min(run.min, seq);
        run.max = Math.max(run.max, seq);
        if ("weir:AuditGap".equals(action) && lost.isArray()) {
            for (JsonNode r : lost) {
                String s = r.asText();
                int dash = s.indexOf('-');
                try {
                    long from = Long.parseLong(dash < 0 ? s : s.substring(0, dash));
                    long to = Long.parseLong(dash < 0 ? s : s.substring(dash + 1));
                    run.recorded.add(new long[] {from, to});
                    run.recordedWhere.add(where);
                } catch (NumberFormatException ignored) {
                    // not a range: the number stays unaccounted for, which the report shows
                }
            }
        }
    }

    /** What the check found. */
    record Result(List<Missing> recorded, List<Missing> unrecorded, long checked, long unchecked, long repeated) {
        long recordedCount() {
            return recorded.stream().mapToLong(Missing::count).sum();
        }

        long unrecordedCount() {
            return unrecorded.stream().mapToLong(Missing::count).sum();
        }
    }

    Result result() {
        List<Missing> recorded = new ArrayList<>(), unrecorded = new ArrayList<>();
        for (Run run : runs) {
            java.util.TreeMap<Long, Covered> covered = merged(run);  // from -> {to, where}
            // A run is checked from the first number this sink got (a sink added later starts in
            // the middle of a run); numbers before it count only where a gap event names them.
            long low = covered.isEmpty() ? run.min : Math.max(1, Math.min(run.min, covered.firstKey()));
            Missing open = null;
            for (long s = run.seen.nextClearBit((int) low); s < run.max; s = run.seen.nextClearBit((int) s + 1)) {
                Map.Entry<Long, Covered> c = covered.floorEntry(s);
                String where = c != null && c.getValue().to() >= s ? c.getValue().where() : null;
                if (s < run.min && where == null) continue;
                if (open != null && open.to() == s - 1 && java.util.Objects.equals(open.where(), where)) {
                    open = new Missing(run.instance, open.from(), s, where);
                    continue;
                }
                if (open != null) (open.where() == null ? unrecorded : recorded).add(open);
                open = new Missing(run.instance, s, s, where);
            }
            if (open != null) (open.where() == null ? unrecorded : recorded).add(open);
        }
        return new Result(List.copyOf(recorded), List.copyOf(unrecorded), checked, unchecked, repeated);
    }

    private record Covered(long to, String where) {}

    /** The run's recorded ranges as disjoint intervals, each with the first gap event that named it. */
    private static java.util.TreeMap<Long, Covered> merged(Run run) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < run.recorded.size(); i++) order.add(i);
        order.sort(java.util.Comparator.comparingLong(i -> run.recorded.get(i)[0]));
        java.util.TreeMap<Long, Covered> out = new java.util.TreeMap<>();
        long from = 0, to = -1;
        String where = null;
        for (int i : order) {
            long[] r = run.recorded.get(i);
            if (r[0] <= to + 1 && to >= from) {
                to = Math.max(to, r[1]);
                continue;
            }
            if (to >= from && where != null) out.put(from, new Covered(to, where));
            from = r[0];
            to = r[1];
            where = run.recordedWhere.get(i);
        }
        if (to >= from && where != null) out.put(from, new Covered(to, where));
        return out;
    }
}
