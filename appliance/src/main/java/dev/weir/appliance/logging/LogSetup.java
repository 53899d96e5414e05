package dev.weir.appliance.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

/**
 * weir's Logback set-up, in code: one console appender on stderr, INFO (Netty at WARN), in the
 * {@link LogFormat} asked for. Logback finds this class through {@code META-INF/services} when
 * the first logger is made, before any XML file is looked for, so there is no logback.xml to
 * ship or to override by accident; a command that wants another format calls {@link #apply}.
 *
 * <p>JSON lines come from Logback's own {@link JsonEncoder}: it escapes every string (quotes,
 * backslashes, control characters), so a message always stays one line. It is set to write the
 * formatted message only: neither the message pattern nor the argument array separately, which
 * would repeat each argument and double what a log line can carry. Fields: {@code timestamp}
 * (Unix milliseconds), {@code level}, {@code threadName}, {@code loggerName}, {@code mdc},
 * {@code kvpList}, {@code formattedMessage}, {@code throwable}.
 *
 * <p>What weir logs never includes an item value or a secret: log statements name operations,
 * tables, counts and exception classes (checked by the appliance's log tests).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String APPENDER = "stderr";
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%level] %logger{0} - %msg%n";

    /** Called by Logback at start-up: text, unless the setting says otherwise (a bad setting falls back to text). */
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LogFormat format;
        try {
            format = LogFormat.configured(LogFormat.TEXT);
        } catch (IllegalArgumentException e) {
            format = LogFormat.TEXT;
        }
        install(context, format);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Switches this process's logs to {@code format} (when Logback is the SLF4J back-end; else does nothing). */
    public static void apply(LogFormat format) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) install(context, format);
    }

    private static synchronized void install(LoggerContext context, LogFormat format) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        Encoder<ILoggingEvent> encoder = format == LogFormat.JSON ? json(context) : text(context);
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName(APPENDER);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        root.addAppender(stderr);
        root.setLevel(Level.INFO);
        context.getLogger("io.netty").setLevel(Level.WARN);
    }

    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        JsonEncoder e = new JsonEncoder();
        e.setContext(context);
        e.setWithSequenceNumber(false);
        e.setWithNanoseconds(false);
        e.setWithContext(false);
        e.setWithMarkers(false);
        e.setWithMessage(false);
        e.setWithArguments(false);
        e.setWithFormattedMessage(true);
        e.start();
        return e;
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(context);
        e.setPattern(TEXT_PATTERN);
        e.start();
        return e;
    }
}
