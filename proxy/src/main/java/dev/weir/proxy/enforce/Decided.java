package dev.weir.proxy.enforce;

import dev.weir.proxy.enforce.request.Part;

import java.util.List;
import java.util.Map;

/**
 * A request the policy allows on every table it names: the decision per table (keyed by the
 * table as policies name it, {@code *} for none), and the rules that decided, in order.
 */
record Decided(Parsed parsed, Map<String, TableDecision> tables, List<String> ruleIds) implements Stage {
    Decided {
        tables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tables));
        ruleIds = List.copyOf(ruleIds);
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
