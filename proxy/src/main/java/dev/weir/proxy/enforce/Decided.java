package dev.weir.proxy.enforce;

import dev.weir.proxy.enforce.request.Part;

import java.util.List;
import java.util.Map;

/**
 * A request the policy allows on every table it names: the decision per table (keyed by the
 * table as policies name it, {@code *} for none), the rules that decided, in order, and the key
 * schemas of the tables it puts items into, for the audit ({@link ItemKeys#NONE} until read).
 */
record Decided(Parsed parsed, Map<String, TableDecision> tables, List<String> ruleIds, ItemKeys itemKeys) implements Stage {
    Decided {
        tables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tables));
        ruleIds = List.copyOf(ruleIds);
    }

    Decided(Parsed parsed, Map<String, TableDecision> tables, List<String> ruleIds) {
        this(parsed, tables, ruleIds, ItemKeys.NONE);
    }

    /** The same decision, with the key schemas its puts' items are named by. */
    Decided withItemKeys(ItemKeys keys) {
        return new Decided(parsed, tables, ruleIds, keys);
    }

    @Override public Received received() {
        return parsed.received();
    }

    @Override public Identified identified() {
        return parsed.identified();
    }

    @Override public Decided decided() {
        return this;
    }

    /** The decision that covers a part: its table's. */
    TableDecision of(Part part) {
        return tables.get(part.policyTable());
    }

    String principal() {
        return parsed.identified().principal().name();
    }
}
