package dev.weir.audit.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.weir.audit.event.AuditEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * JSON lines with Elastic Common Schema field names (flattened dotted keys, as ECS allows),
 * and weir's own fields under {@code weir.*}. One event per line; JSON escapes every control
 * character, so a record never spans lines and every value is exact.
 */
public final class EcsJsonLines implements EventFormat {
    /** Leaves the stream it writes to open: a sink's batch takes many records. */
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    @Override
    public String name() {
        return "ecs";
    }

    @Override
    public byte[] encode(AuditEvent e) {
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            fields(g, e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** The record straight into the sink's batch, then a line feed: no array of its own in between. */
    @Override
    public void write(AuditEvent e, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            fields(g, e);
        }
        out.write('\n');
    }

    private static void fields(JsonGenerator g, AuditEvent e) throws IOException {
        g.writeStartObject();
        g.writeStringField("@timestamp", Text.isoInstant(e.timeMicros()));
        g.writeStringField("ecs.version", "8.11.0");
        g.writeStringField("event.kind", "event");
        g.writeStringField("event.category", "database");
        g.writeStringField("event.id", e.instance() + ":" + e.sequence());
        g.writeNumberField("event.sequence", e.sequence());
        g.writeStringField("event.action", Classification.action(e));
        g.writeStringField("event.outcome", Classification.outcome(e));
        g.writeNumberField("event.duration", e.latencyMicros() * 1000);
        g.writeStringField("observer.name", e.instance());
        g.writeStringField("observer.product", "weir");
        g.writeStringField("user.name", e.principal());
        strings(g, "user.roles", e.roles());
        g.writeStringField("user.id", e.accessKeyId());
        g.writeStringField("source.ip", e.sourceAddress());
        g.writeNumberField("source.port", e.sourcePort());
        if (e.tlsSubject() != null) g.writeStringField("tls.client.subject", e.tlsSubject());
        if (e.requestId() != null) g.writeStringField("http.request.id", e.requestId());
        g.writeNumberField("http.response.status_code", e.status());
        g.writeStringField("error.type", e.errorType());
        if (e.note() != null) g.writeStringField("message", e.note());
        g.writeStringField("weir.table", e.table());
        if (e.index() != null) g.writeStringField("weir.index", e.index());
        g.writeStringField("weir.decision", e.decision());
        if (e.phase() != null) g.writeStringField("weir.phase", e.phase());
        strings(g, "rule.id", e.ruleIds());
        g.writeStringField("weir.policy_hash", e.policyHash());
        strings(g, "weir.fields.masked", e.maskedFields());
        strings(g, "weir.fields.removed", e.removedFields());
        if (!e.readPaths().isEmpty()) strings(g, "weir.fields.read", e.readPaths());
        if (!e.writtenPaths().isEmpty()) strings(g, "weir.fields.written", e.writtenPaths());
        if (!e.itemKeys().isEmpty()) strings(g, "weir.keys", e.itemKeys());
        if (e.rowsDropped() != 0) g.writeNumberField("weir.rows.dropped", e.rowsDropped());
        if (e.itemsReturned() != 0) g.writeNumberField("weir.items.returned", e.itemsReturned());
        if (e.upstreamStatus() != 0) g.writeNumberField("weir.upstream.status_code", e.upstreamStatus());
        if (e.decideMicros() != 0) g.writeNumberField("weir.decide_us", e.decideMicros());
        if (!e.lostSequences().isEmpty()) strings(g, "weir.audit.lost_sequences", e.lostSequences());
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }
}
