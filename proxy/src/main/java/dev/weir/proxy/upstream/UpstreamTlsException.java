package dev.weir.proxy.upstream;

import java.io.IOException;
import java.security.cert.CertificateException;

/**
 * The TLS handshake with an {@code https://} upstream failed: its certificate did not chain to a
 * trusted CA, did not name the endpoint's host, or the peer did not speak TLS. Nothing of the
 * request was sent (the request is written only into the TLS session). The firewall answers
 * such a request 503 with its own message and notes {@link #reason()} in the audit record, so an
 * operator can tell a certificate problem from a store that is down.
 */
public final class UpstreamTlsException extends IOException {
    private final String reason;

    UpstreamTlsException(String host, Throwable cause) {
        super("TLS with the upstream store " + host + " failed: " + reasonOf(cause), cause);
        this.reason = reasonOf(cause);
    }

    /** Why, in a few words, for the audit record: no secret and no item value can be in it. */
    public String reason() {
        return reason;
    }

    /** The innermost certificate complaint if there is one (it says what was wrong), else the handshake's own message. */
    static String reasonOf(Throwable cause) {
        Throwable cert = null;
        Throwable last = cause;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) cert = t;
            last = t;
        }
        Throwable shown = cert != null ? cert : last;
        String message = shown.getMessage();
        return message == null || message.isBlank() ? shown.getClass().getSimpleName() : message;
    }
}
