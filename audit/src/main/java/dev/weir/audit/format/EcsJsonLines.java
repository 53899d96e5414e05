package dev.weir.audit.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.weir.audit.event.AuditEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * JSON lines with Elastic Common Schema field names (flattened dotted keys, as ECS allows),
 * and weir's own fields under {@code weir.*}. One event per line.
 */
public final class EcsJsonLines implements EventFormat {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    @Override
    public void write(AuditEvent e, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            Instant t = Instant.ofEpochSecond(e.timeMicros() / 1_000_000, (e.timeMicros() % 1_000_000) * 1000);
            g.writeStringField("@timestamp", t.toString());
            g.writeStringField("ecs.version", "8.11.0");
            g.writeStringField("event.kind", "event");
            g.writeStringField("event.category", "database");
            g.writeNumberField("event.sequence", e.sequence());
            g.writeStringField("event.action", e.operation());
            g.writeStringField("event.outcome", e.status() < 400 ? "success" : "failure");
            g.writeNumberField("event.duration", e.latencyMicros() * 1000);
            g.writeStringField("observer.name", e.instance());
            g.writeStringField("observer.product", "weir");
            g.writeStringField("user.name", e.principal());
            strings(g, "user.roles", e.roles());
            g.writeStringField("user.id", e.accessKeyId());
            g.writeStringField("source.ip", e.sourceAddress());
            g.writeNumberField("source.port", e.sourcePort());
            g.writeNumberField("http.response.status_code", e.status());
            g.writeStringField("error.type", e.errorType());
            g.writeStringField("weir.table", e.table());
            g.writeStringField("weir.decision", e.decision());
            strings(g, "rule.id", e.ruleIds());
            g.writeStringField("weir.policy_hash", e.policyHash());
            strings(g, "weir.fields.masked", e.maskedFields());
            strings(g, "weir.fields.removed", e.removedFields());
            g.writeEndObject();
        }
        out.write('\n');
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }
}
