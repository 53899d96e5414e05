package dev.weir.policy.decision;

/**
 * What the proxy needs to know about a policy set besides its decisions, taken from the
 * compiled policy (never from the text of its files, where a comment, a string or another
 * spelling of the same reference would mislead a search).
 *
 * @param readsTableTags whether some rule reads {@code ctx.table.tags} (however spelled or
 *                       quoted); the proxy then fetches the tags of a request's tables before
 *                       deciding, since a rule that reads an unknown tag would decide wrongly
 */
public record PolicyFacts(boolean readsTableTags) {
    /** A policy that reads nothing beyond the request itself. */
    public static final PolicyFacts NONE = new PolicyFacts(false);

    /**
     * For a table whose source is unknown: assume it reads everything (fetching the tags is
     * never wrong, skipping them may be).
     */
    public static final PolicyFacts UNKNOWN = new PolicyFacts(true);
}
