package dev.weir.proxy.enforce;

import java.util.List;

import dev.weir.proxy.enforce.verdict.Verdict;

/**
 * A request with its answer, ready to audit: the last stage it reached, its verdict (fixed by
 * the last check that ran), the response, and what the upstream and the row filter did.
 *
 * @param upstreamStatus the store's HTTP status, 0 when the request was not forwarded or it did not answer
 * @param rowsDropped    items a row filter withheld
 * @param itemsReturned  items a row filter let through (counted only under a row filter)
 * @param decidedNanos   {@link System#nanoTime()} when the request was decided (planned, or refused)
 * @param returnedKeys   the keys of the items (stream records) the answer carries, as the audit names them
 *                       ({@code id=p-1}), when weir built the answer itself; else empty
 * @param note           what the audit record should say about the answer (why the store could not be
 *                       reached over TLS), else null
 */
record Answered(Stage reached, Verdict verdict, ProxyResponse response, int upstreamStatus, int rowsDropped,
                int itemsReturned, long decidedNanos, List<String> returnedKeys, String note) {
    Answered {
        returnedKeys = List.copyOf(returnedKeys);
    }

    Answered(Stage reached, Verdict verdict, ProxyResponse response, int upstreamStatus, int rowsDropped, int itemsReturned,
             long decidedNanos, List<String> returnedKeys) {
        this(reached, verdict, response, upstreamStatus, rowsDropped, itemsReturned, decidedNanos, returnedKeys, null);
    }

    Answered(Stage reached, Verdict verdict, ProxyResponse response, int upstreamStatus, int rowsDropped, int itemsReturned,
             long decidedNanos) {
        this(reached, verdict, response, upstreamStatus, rowsDropped, itemsReturned, decidedNanos, List.of(), null);
    }

    /** A refused request: its error is the response. */
    static Answered refused(Stage reached, Verdict.Refused verdict) {
        return new Answered(reached, verdict, ProxyResponse.error(verdict.error()), 0, 0, 0, System.nanoTime());
    }
}
