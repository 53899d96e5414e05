package dev.weir.appliance.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.weir.proxy.server.Faults;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One log line per event, as JSON or as text.
 *
 * <p>Why not Logback's {@code JsonEncoder}: it escapes every {@code /} as {@code \/}, so no path
 * in a log line can be found by searching for it as text (an operator grepping for a file that
 * failed to reload finds nothing); it writes the time as Unix milliseconds; and it writes an
 * exception's message, which can quote what the failing code was handling (the bundled store
 * logs an internal fault with its exception). This encoder writes ECS field names, the ones
 * weir's audit records use, so one pipeline reads both:
 *
 * <pre>{"@timestamp":"2026-12-07T02:40:00.123Z","log.level":"INFO","log.logger":"dev.weir.appliance.Appliance",
 *  "process.thread.name":"main","message":"policy loaded from /srv/weir/policies (...)"}</pre>
 *
 * and, with an exception, {@code error.type} (its class) and {@code error.stack_trace} (the
 * classes and frames of its cause chain, {@link Faults#describe}), never a message. JSON strings
 * escape what JSON requires ({@code "}, {@code \}, control characters) and nothing else, so a
 * message is always one line. The text form is
 * {@code 2026-12-07T02:40:00.123Z [INFO] Appliance - message}, with the same exception text.
 */
public final class LineEncoder extends EncoderBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private final LogFormat format;

    public LineEncoder(LogFormat format) {
        this.format = format;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        String time = TIME.format(Instant.ofEpochMilli(event.getTimeStamp()));
        String message = event.getFormattedMessage();
        IThrowableProxy thrown = event.getThrowableProxy();
        StringBuilder b = new StringBuilder(128 + (message == null ? 0 : message.length()));
        if (format == LogFormat.JSON) {
            b.append("{\"@timestamp\":\"").append(time).append("\",\"log.level\":\"").append(event.getLevel())
                    .append("\",\"log.logger\":");
            string(b, event.getLoggerName());
            b.append(",\"process.thread.name\":");
            string(b, event.getThreadName());
            b.append(",\"message\":");
            string(b, message == null ? "" : message);
            if (thrown != null) {
                b.append(",\"error.type\":");
                string(b, thrown.getClassName());
                b.append(",\"error.stack_trace\":");
                string(b, describe(thrown));
            }
            b.append("}\n");
        } else {
            String logger = event.getLoggerName();
            b.append(time).append(" [").append(event.getLevel()).append("] ").append(logger.substring(logger.lastIndexOf('.') + 1))
                    .append(" - ").append(message);
            if (thrown != null) b.append(" | ").append(describe(thrown));
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The exception's classes and frames, never its messages. */
    private static String describe(IThrowableProxy thrown) {
        if (thrown instanceof ThrowableProxy p) return Faults.describe(p.getThrowable());
        StringBuilder b = new StringBuilder();
        for (IThrowableProxy c = thrown; c != null; c = c.getCause()) {
            if (!b.isEmpty()) b.append(" | caused by ");
            b.append(c.getClassName());
            StackTraceElementProxy[] frames = c.getStackTraceElementProxyArray();
            for (int i = 0; i < Math.min(8, frames.length); i++) b.append(i == 0 ? " at " : " < ").append(frames[i].getStackTraceElement());
        }
        return b.toString();
    }

    /** {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
