package dev.weir.proxy.enforce.stream;

/**
 * What the upstream's stream numbers (sequence numbers, shard ranges) may reveal to a caller
 * whose view hides some records (docs/threat-model.md, "Stream records").
 */
public enum UpstreamNumbers {
    /** The bundled store: sequence numbers and shard ranges are times, they count nothing. */
    COUNT_FREE,
    /**
     * A foreign upstream whose numbers may count records, and the operator accepted that
     * ({@code upstream.streams_reveal_counts: accept}): restricted callers read streams, and may
     * learn how many changes they did not see.
     */
    ACCEPTED,
    /** A foreign upstream whose numbers may count records (the default): restricted callers may not read its streams. */
    REFUSED
}
