package dev.weir.dpdk;

/** The bridge cannot start here; the message says why and what to do (never a silent fall-back). */
public final class DpdkException extends Exception {
    public DpdkException(String message) {
        super(message);
    }

    public DpdkException(String message, Throwable cause) {
        super(message, cause);
    }
}
