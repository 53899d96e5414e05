package dev.weir.proxy.server;

/**
 * A fault inside weir as its log line gives it: the exception classes of the cause chain and the
 * top frames of each, never their messages. A message can quote what the failing code was
 * handling ({@code NumberFormatException: For input string: "…"} quotes an item value), and a
 * request's content must never reach the log; the classes and frames say where the bug is.
 */
public final class Faults {
    /** Frames kept per exception. */
    static final int FRAMES = 8;
    /** Causes followed, at most. */
    static final int DEPTH = 5;

    private Faults() {}

    /** The classes and top frames of {@code t} and its causes, without any message. */
    public static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (Throwable c = t; c != null && depth < DEPTH; c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (depth > 0) b.append(" | caused by ");
            b.append(c.getClass().getName());
            StackTraceElement[] frames = c.getStackTrace();
            for (int i = 0; i < Math.min(FRAMES, frames.length); i++) b.append(i == 0 ? " at " : " < ").append(frames[i]);
        }
        return b.toString();
    }
}
