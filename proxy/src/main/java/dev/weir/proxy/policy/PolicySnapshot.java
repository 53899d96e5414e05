package dev.weir.proxy.policy;

import dev.weir.policy.decision.DecisionTable;

/**
 * The policy in force: a compiled decision table, the content hash of the files it came
 * from, and whether it reads {@code ctx.table.tags} (then the firewall fetches the tags of a
 * request's tables before deciding). {@link #NONE} (no policy loaded) decides nothing, so
 * every request is denied.
 */
public record PolicySnapshot(DecisionTable table, String contentHash, boolean usesTableTags) {
    public static final PolicySnapshot NONE = new PolicySnapshot(null, "none", false);

    public PolicySnapshot(DecisionTable table, String contentHash) {
        this(table, contentHash, false);
    }

    public boolean loaded() {
        return table != null;
    }
}
