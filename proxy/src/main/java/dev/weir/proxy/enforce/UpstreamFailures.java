package dev.weir.proxy.enforce;

import dev.weir.protocol.error.DynamoError;
import dev.weir.proxy.enforce.verdict.Verdict;
import dev.weir.proxy.upstream.UpstreamTlsException;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The answer to a permitted request whose exchange with the store failed: one place for the
 * DynamoDB-style 503s (or 500) weir gives then, so a whole request, a page weir reads on and a
 * stream answer say the same thing for the same failure. A TLS failure with an {@code https://}
 * store has its own message (the store was not reached: nothing was sent) and its reason in the
 * audit record's note, so an operator tells a certificate problem from a store that is down.
 */
final class UpstreamFailures {
    private UpstreamFailures() {}

    /**
     * The answer to {@code planned} (permitted by {@code verdict}) after {@code cause}: a 503 for a
     * timeout ({@code onTimeout}), a TLS failure or another I/O failure; a 500 ({@code otherwise})
     * for anything else, which is a fault in weir.
     */
    static Answered answered(Planned planned, Verdict verdict, Throwable cause, String onTimeout, String otherwise) {
        DynamoError error;
        String note = null;
        if (cause instanceof UpstreamTlsException tls) {
            error = DynamoError.serviceUnavailable("weir could not reach the upstream store over TLS (its certificate was not "
                    + "accepted); the request was not sent");
            note = "upstream TLS refused: " + tls.reason();
        } else if (cause instanceof TimeoutException) {
            error = DynamoError.serviceUnavailable(onTimeout);
        } else if (cause instanceof IOException) {
            error = DynamoError.serviceUnavailable("weir could not reach the upstream store");
        } else {
            error = DynamoError.internalServerError(otherwise);
        }
        return new Answered(planned, verdict, ProxyResponse.error(error), 0, 0, 0, planned.nanos(), List.of(), note);
    }
}
