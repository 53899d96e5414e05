package dev.weir.appliance.logging;

import java.util.Locale;
import java.util.Map;

/**
 * How weir writes its log lines on stderr: {@link #JSON} (one JSON object per line, for log
 * shippers) or {@link #TEXT} (for a person at a terminal). {@code weir up} writes JSON unless told
 * otherwise; the other commands write text. The setting is the system property
 * {@value #PROPERTY} or the environment variable {@value #ENV} ({@code json} or {@code text}); the
 * property wins. It is not in {@code weir.yaml} because logging starts before the configuration
 * file is read (and a configuration error must be logged in the chosen format too).
 */
public enum LogFormat {
    JSON, TEXT;

    public static final String PROPERTY = "weir.log.format";
    public static final String ENV = "WEIR_LOG_FORMAT";

    /**
     * The format the setting names, else {@code fallback}.
     *
     * @throws IllegalArgumentException when the setting names neither format
     */
    public static LogFormat configured(String property, Map<String, String> env, LogFormat fallback) {
        String v = property != null ? property : env.get(ENV);
        if (v == null || v.isBlank()) return fallback;
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> JSON;
            case "text", "plain" -> TEXT;
            default -> throw new IllegalArgumentException((property != null ? PROPERTY : ENV) + " must be json or text, got '"
                    + v + "'");
        };
    }

    /** The format this process's setting names, else {@code fallback}. */
    public static LogFormat configured(LogFormat fallback) {
        return configured(System.getProperty(PROPERTY), System.getenv(), fallback);
    }
}
