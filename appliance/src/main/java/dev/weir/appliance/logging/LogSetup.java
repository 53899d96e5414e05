package dev.weir.appliance.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

/**
 * weir's Logback set-up, in code: one console appender on stderr, INFO (Netty at WARN), lines
 * in the {@link LogFormat} asked for, written by {@link LineEncoder}. Logback finds this class
 * through {@code META-INF/services} when the first logger is made, before any XML file is looked
 * for, so there is no logback.xml to ship or to shadow by accident; a command that wants another
 * format calls {@link #apply}.
 *
 * <p>What weir logs never includes an item value or a secret: log statements name operations,
 * tables, counts and exception classes, and the encoder never writes an exception's message
 * (checked by the appliance's log tests).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String APPENDER = "stderr";

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
        LineEncoder encoder = new LineEncoder(format);
        encoder.setContext(context);
        encoder.start();
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
}
