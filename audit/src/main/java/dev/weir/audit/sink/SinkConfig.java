package dev.weir.audit.sink;

import dev.weir.audit.chain.ChainedFileSink;
import dev.weir.audit.chain.Ed25519Pem;
import dev.weir.audit.format.EventFormat;
import dev.weir.audit.format.EventFormats;
import dev.weir.audit.pipeline.AuditPipeline;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a sink from one entry of the configuration's {@code audit.sinks} list, as parsed from
 * YAML (a map of plain values): {@code name}, {@code type} (file, syslog, kafka, hec) and that
 * type's settings, named as in docs/audit.md. Relative paths are resolved against the
 * configuration's folder. An unknown key, a missing required one or a bad value is an
 * {@link IllegalArgumentException} that names the sink and the key; a secret (the HEC token)
 * never appears in one.
 */
public final class SinkConfig {
    private static final Map<String, Set<String>> KEYS = Map.of(
            "file", Set.of("dir", "format", "max_file_bytes", "max_file_age_s", "digest_interval_s", "signing_key"),
            "syslog", Set.of("host", "port", "tls", "ca_file", "client_cert", "client_key", "server_name",
                    "connect_timeout_ms", "format"),
            "kafka", Set.of("bootstrap_servers", "topic", "key", "format", "delivery_timeout_ms", "producer"),
            "hec", Set.of("url", "token", "token_file", "host", "source", "sourcetype", "index", "format", "max_events",
                    "max_bytes", "timeout_ms", "ca_file"));

    private final String name;
    private final Map<String, ?> spec;
    private final Path base;

    private SinkConfig(String name, Map<String, ?> spec, Path base) {
        this.name = name;
        this.spec = spec;
        this.base = base;
    }

    /**
     * Checks the parts of {@code spec} that need no I/O (name, type, known settings) and
     * returns its type; an {@link IllegalArgumentException} says what is wrong.
     */
    public static String validate(Map<String, ?> spec) {
        Object n = spec.get("name");
        if (!(n instanceof String name) || name.isBlank()) throw new IllegalArgumentException("audit sink without a name");
        Object t = spec.get("type");
        String type = t instanceof String s ? s : null;
        if (type == null || !KEYS.containsKey(type)) {
            throw new IllegalArgumentException("audit sink '" + name + "': type must be one of " + new TreeSet<>(KEYS.keySet())
                    + (t == null ? "" : ", not '" + t + "'"));
        }
        for (String key : spec.keySet()) {
            if (!key.equals("name") && !key.equals("type") && !KEYS.get(type).contains(key)) {
                throw new IllegalArgumentException("audit sink '" + name + "': unknown setting '" + key + "' for type " + type
                        + " (known: " + new TreeSet<>(KEYS.get(type)) + ")");
            }
        }
        return type;
    }

    /** The named sink that {@code spec} describes; {@code base} is the configuration's folder. */
    public static AuditPipeline.NamedSink create(Map<String, ?> spec, Path base) throws IOException {
        String type = validate(spec);
        String name = (String) spec.get("name");
        SinkConfig c = new SinkConfig(name, spec, base);
        AuditSink sink = switch (type) {
            case "file" -> c.file();
            case "syslog" -> c.syslog();
            case "kafka" -> c.kafka();
            default -> c.hec();
        };
        return new AuditPipeline.NamedSink(name, sink);
    }

    private AuditSink file() throws IOException {
        Path key = path("signing_key", false);
        return new ChainedFileSink(new ChainedFileSink.Options(path("dir", true), format("ecs"),
                number("max_file_bytes", 0), seconds("max_file_age_s"), seconds("digest_interval_s"),
                key == null ? null : Ed25519Pem.readPrivate(key), null));
    }

    private AuditSink syslog() throws IOException {
        return new SyslogSink(wrap(() -> new SyslogSink.Options(required("host"), (int) number("port", -1),
                bool("tls"), path("ca_file", false), path("client_cert", false), path("client_key", false),
                string("server_name", null), millis("connect_timeout_ms"), format("syslog"))));
    }

    private AuditSink kafka() {
        Object p = spec.get("producer");
        Map<String, String> producer = new LinkedHashMap<>();
        if (p instanceof Map<?, ?> m) {
            m.forEach((k, v) -> producer.put(String.valueOf(k), String.valueOf(v)));
        } else if (p != null) {
            throw bad("producer", "must be a map of Kafka producer settings");
        }
        return new KafkaSink(wrap(() -> new KafkaSink.Options(required("bootstrap_servers"), required("topic"),
                string("key", null), format("ecs"), millis("delivery_timeout_ms"), producer)));
    }

    private AuditSink hec() throws IOException {
        String token = string("token", null);
        Path tokenFile = path("token_file", false);
        if ((token == null) == (tokenFile == null)) throw bad("token", "give exactly one of token and token_file");
        if (tokenFile != null) token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        String url = required("url");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw bad("url", "is not a URL: " + e.getMessage());
        }
        String t = token;
        return new HecSink(wrap(() -> new HecSink.Options(uri, t, string("host", null), string("source", null),
                string("sourcetype", null), string("index", null), format("ecs"), (int) number("max_events", 0),
                (int) number("max_bytes", 0), millis("timeout_ms"), path("ca_file", false))));
    }

    private interface Build<T> {
        T build();
    }

    /** Options constructors check their values; their messages name the sink type, this adds the sink's name. */
    private <T> T wrap(Build<T> b) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("audit sink '" + name + "': " + e.getMessage(), e);
        }
    }

    private EventFormat format(String dflt) {
        String f = string("format", dflt);
        if (!EventFormats.NAMES.contains(f) && !List.of("json", "rfc5424").contains(f)) {
            throw bad("format", "must be one of " + EventFormats.NAMES + ", not '" + f + "'");
        }
        return EventFormats.byName(f);
    }

    private String required(String key) {
        String v = string(key, null);
        if (v == null || v.isBlank()) throw bad(key, "is required");
        return v;
    }

    private String string(String key, String dflt) {
        Object v = spec.get(key);
        if (v == null) return dflt;
        if (v instanceof String s) return s;
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        throw bad(key, "must be a single value");
    }

    private long number(String key, long dflt) {
        Object v = spec.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n && n.doubleValue() == n.longValue()) return n.longValue();
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw bad(key, "must be a whole number");
    }

    private boolean bool(String key) {
        Object v = spec.get(key);
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        if ("true".equals(v)) return true;
        if ("false".equals(v)) return false;
        throw bad(key, "must be true or false");
    }

    private Duration seconds(String key) {
        long n = number(key, 0);
        return n <= 0 ? null : Duration.ofSeconds(n);
    }

    private Duration millis(String key) {
        long n = number(key, 0);
        return n <= 0 ? null : Duration.ofMillis(n);
    }

    private Path path(String key, boolean required) {
        String v = required ? required(key) : string(key, null);
        return v == null ? null : base.resolve(v);
    }

    private IllegalArgumentException bad(String key, String why) {
        return new IllegalArgumentException("audit sink '" + name + "': " + key + " " + why);
    }
}
