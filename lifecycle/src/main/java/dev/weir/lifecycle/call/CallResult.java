package dev.weir.lifecycle.call;

import java.time.Duration;

/**
 * How one call of a function went: a 2xx is success; any other status, a timeout or a
 * connection error is a failure.
 *
 * @param status the HTTP status, or 0 when there was none
 * @param error  why it failed (never the response body, which may echo data), or empty
 */
public record CallResult(boolean ok, int status, String error, Duration latency) {}
