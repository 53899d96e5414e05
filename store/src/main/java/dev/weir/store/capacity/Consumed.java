package dev.weir.store.capacity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The capacity one request consumed, per table and index, reported as DynamoDB reports it
 * for ReturnConsumedCapacity TOTAL or INDEXES. Units follow DynamoDB's rules: a read unit per
 * 4 KB read (half for an eventually consistent read), a write unit per 1 KB written, doubled
 * inside transactions. Not thread-safe: one per request.
 */
public final class Consumed {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public enum Mode {
        NONE, TOTAL, INDEXES;

        public static Mode of(String text) {
            return text == null ? NONE : valueOf(text);
        }
    }

    private static final class Units {
        double read;
        double write;

        void add(double r, double w) {
            read += r;
            write += w;
        }
    }

    private static final class TableUnits {
        final Units table = new Units();
        final Map<String, Units> global = new LinkedHashMap<>();
        final Map<String, Units> local = new LinkedHashMap<>();

        double read() {
            return table.read + global.values().stream().mapToDouble(u -> u.read).sum()
                    + local.values().stream().mapToDouble(u -> u.read).sum();
        }

        double write() {
            return table.write + global.values().stream().mapToDouble(u -> u.write).sum()
                    + local.values().stream().mapToDouble(u -> u.write).sum();
        }
    }

    private final Mode mode;
    private final Map<String, TableUnits> tables = new LinkedHashMap<>();

    public Consumed(Mode mode) {
        this.mode = mode;
    }

    public static Consumed of(String returnConsumedCapacity) {
        return new Consumed(Mode.of(returnConsumedCapacity));
    }

    public boolean wanted() {
        return mode != Mode.NONE;
    }

    /** Read units for {@code bytes} read: one per started 4 KB, at least one; half if eventually consistent. */
    public static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, (bytes + 4095) / 4096);
        return consistent ? units : units / 2;
    }

    /** Write units for {@code bytes} written: one per started 1 KB, at least one. */
    public static double writeUnits(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    public void tableRead(String table, double units) {
        units(table).table.add(units, 0);
    }

    public void tableWrite(String table, double units) {
        units(table).table.add(0, units);
    }

    public void indexRead(String table, String index, boolean global, double units) {
        (global ? units(table).global : units(table).local).computeIfAbsent(index, k -> new Units()).add(units, 0);
    }

    public void indexWrite(String table, String index, boolean global, double units) {
        (global ? units(table).global : units(table).local).computeIfAbsent(index, k -> new Units()).add(0, units);
    }

    /** Doubles everything recorded so far (transactions cost twice). */
    public void doubled() {
        for (TableUnits t : tables.values()) {
            twice(t.table);
            t.global.values().forEach(Consumed::twice);
            t.local.values().forEach(Consumed::twice);
        }
    }

    private static void twice(Units u) {
        u.read *= 2;
        u.write *= 2;
    }

    /** Adds the ConsumedCapacity member for one table to a response, if it was asked for. */
    public void addTo(ObjectNode response, String table) {
        if (!wanted()) return;
        response.set("ConsumedCapacity", render(table, units(table)));
    }

    /** Adds the ConsumedCapacity list (batch and transaction operations), if it was asked for. */
    public void addAllTo(ObjectNode response) {
        if (!wanted()) return;
        ArrayNode a = response.putArray("ConsumedCapacity");
        tables.forEach((name, u) -> a.add(render(name, u)));
    }

    private ObjectNode render(String name, TableUnits u) {
        ObjectNode n = NODES.objectNode().put("TableName", name);
        put(n, u.read(), u.write());
        if (mode == Mode.INDEXES) {
            put(n.putObject("Table"), u.table.read, u.table.write);
            if (!u.global.isEmpty()) {
                ObjectNode g = n.putObject("GlobalSecondaryIndexes");
                u.global.forEach((i, x) -> put(g.putObject(i), x.read, x.write));
            }
            if (!u.local.isEmpty()) {
                ObjectNode l = n.putObject("LocalSecondaryIndexes");
                u.local.forEach((i, x) -> put(l.putObject(i), x.read, x.write));
            }
        }
        return n;
    }

    private static void put(ObjectNode n, double read, double write) {
        n.put("CapacityUnits", read + write);
        if (read > 0) n.put("ReadCapacityUnits", read);
        if (write > 0) n.put("WriteCapacityUnits", write);
    }

    private TableUnits units(String table) {
        return tables.computeIfAbsent(table, k -> new TableUnits());
    }
}
