package dev.weir.proxy.policy;

import dev.weir.policy.decision.DecisionTable;

/**
 * The policy in force: a compiled decision table and the content hash of the files it came
 * from. {@link #NONE} (no policy loaded) decides nothing, so every request is denied.
 */
public record PolicySnapshot(DecisionTable table, String contentHash) {
    public static final PolicySnapshot NONE = new PolicySnapshot(null, "none");

    public boolean loaded() {
        return table != null;
    }

    /**
     * Whether the policy reads {@code ctx.table.tags} (then the firewall fetches the tags of a
     * request's tables before deciding), from the compiled policy's facts.
     */
    public boolean usesTableTags() {
        return table != null && table.facts().readsTableTags();
    }
}
