package dev.weir.audit.format;

import java.util.List;

/** The formats by their configuration names. */
public final class EventFormats {
    public static final List<String> NAMES = List.of("ecs", "ocsf", "cef", "leef", "syslog");

    private EventFormats() {}

    public static EventFormat byName(String name) {
        return switch (name) {
            case "ecs", "json" -> new EcsJsonLines();
            case "ocsf" -> new OcsfJson();
            case "cef" -> new Cef();
            case "leef" -> new Leef();
            case "syslog", "rfc5424" -> new Rfc5424();
            default -> throw new IllegalArgumentException("unknown audit format '" + name + "' (one of " + NAMES + ")");
        };
    }
}
