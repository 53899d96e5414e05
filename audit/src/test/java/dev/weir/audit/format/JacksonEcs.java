package dev.weir.audit.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.weir.audit.event.AuditEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The ECS writer as it was before {@link JsonBytes}: Jackson's generator, the reference the bytes are held to. */
final class JacksonEcs {
    /** Leaves the stream it writes to open: a sink's batch takes many records. */
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    /* Field names and constant values encoded once: the shipper formats every record (issue 16). */
    private static final SerializedString TIMESTAMP = new SerializedString("@timestamp");
    private static final SerializedString ECS_VERSION = new SerializedString("ecs.version");
    private static final SerializedString EVENT_KIND = new SerializedString("event.kind");
    private static final SerializedString EVENT_CATEGORY = new SerializedString("event.category");
    private static final SerializedString EVENT_ID = new SerializedString("event.id");
    private static final SerializedString EVENT_ACTION = new SerializedString("event.action");
    private static final SerializedString EVENT_OUTCOME = new SerializedString("event.outcome");
    private static final SerializedString OBSERVER_NAME = new SerializedString("observer.name");
    private static final SerializedString OBSERVER_PRODUCT = new SerializedString("observer.product");
    private static final SerializedString USER_NAME = new SerializedString("user.name");
    private static final SerializedString USER_ID = new SerializedString("user.id");
    private static final SerializedString SOURCE_IP = new SerializedString("source.ip");
    private static final SerializedString TLS_CLIENT_SUBJECT = new SerializedString("tls.client.subject");
    private static final SerializedString HTTP_REQUEST_ID = new SerializedString("http.request.id");
    private static final SerializedString ERROR_TYPE = new SerializedString("error.type");
    private static final SerializedString MESSAGE = new SerializedString("message");
    private static final SerializedString WEIR_TABLE = new SerializedString("weir.table");
    private static final SerializedString WEIR_INDEX = new SerializedString("weir.index");
    private static final SerializedString WEIR_DECISION = new SerializedString("weir.decision");
    private static final SerializedString WEIR_PHASE = new SerializedString("weir.phase");
    private static final SerializedString WEIR_POLICY_HASH = new SerializedString("weir.policy_hash");
    private static final SerializedString EVENT_SEQUENCE = new SerializedString("event.sequence");
    private static final SerializedString EVENT_DURATION = new SerializedString("event.duration");
    private static final SerializedString SOURCE_PORT = new SerializedString("source.port");
    private static final SerializedString HTTP_RESPONSE_STATUS_CODE = new SerializedString("http.response.status_code");
    private static final SerializedString WEIR_ROWS_DROPPED = new SerializedString("weir.rows.dropped");
    private static final SerializedString WEIR_ITEMS_RETURNED = new SerializedString("weir.items.returned");
    private static final SerializedString WEIR_UPSTREAM_STATUS_CODE = new SerializedString("weir.upstream.status_code");
    private static final SerializedString WEIR_DECIDE_US = new SerializedString("weir.decide_us");
    private static final SerializedString USER_ROLES = new SerializedString("user.roles");
    private static final SerializedString RULE_ID = new SerializedString("rule.id");
    private static final SerializedString WEIR_FIELDS_MASKED = new SerializedString("weir.fields.masked");
    private static final SerializedString WEIR_FIELDS_REMOVED = new SerializedString("weir.fields.removed");
    private static final SerializedString WEIR_FIELDS_READ = new SerializedString("weir.fields.read");
    private static final SerializedString WEIR_FIELDS_WRITTEN = new SerializedString("weir.fields.written");
    private static final SerializedString WEIR_KEYS = new SerializedString("weir.keys");
    private static final SerializedString WEIR_AUDIT_LOST_SEQUENCES = new SerializedString("weir.audit.lost_sequences");
    private static final SerializedString ECS_VERSION_VALUE = new SerializedString("8.11.0");
    private static final SerializedString EVENT_KIND_VALUE = new SerializedString("event");
    private static final SerializedString DATABASE_VALUE = new SerializedString("database");
    private static final SerializedString WEIR_VALUE = new SerializedString("weir");


    static byte[] encode(AuditEvent e) {
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            fields(g, e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static void fields(JsonGenerator g, AuditEvent e) throws IOException {
        g.writeStartObject();
        string(g, TIMESTAMP, Text.isoInstant(e.timeMicros()));
        string(g, ECS_VERSION, ECS_VERSION_VALUE);
        string(g, EVENT_KIND, EVENT_KIND_VALUE);
        string(g, EVENT_CATEGORY, DATABASE_VALUE);
        string(g, EVENT_ID, e.instance() + ":" + e.sequence());
        number(g, EVENT_SEQUENCE, e.sequence());
        string(g, EVENT_ACTION, Classification.action(e));
        string(g, EVENT_OUTCOME, Classification.outcome(e));
        number(g, EVENT_DURATION, e.latencyMicros() * 1000);
        string(g, OBSERVER_NAME, e.instance());
        string(g, OBSERVER_PRODUCT, WEIR_VALUE);
        string(g, USER_NAME, e.principal());
        strings(g, USER_ROLES, e.roles());
        string(g, USER_ID, e.accessKeyId());
        string(g, SOURCE_IP, e.sourceAddress());
        number(g, SOURCE_PORT, e.sourcePort());
        if (e.tlsSubject() != null) string(g, TLS_CLIENT_SUBJECT, e.tlsSubject());
        if (e.requestId() != null) string(g, HTTP_REQUEST_ID, e.requestId());
        number(g, HTTP_RESPONSE_STATUS_CODE, e.status());
        string(g, ERROR_TYPE, e.errorType());
        if (e.note() != null) string(g, MESSAGE, e.note());
        string(g, WEIR_TABLE, e.table());
        if (e.index() != null) string(g, WEIR_INDEX, e.index());
        string(g, WEIR_DECISION, e.decision());
        if (e.phase() != null) string(g, WEIR_PHASE, e.phase());
        strings(g, RULE_ID, e.ruleIds());
        string(g, WEIR_POLICY_HASH, e.policyHash());
        strings(g, WEIR_FIELDS_MASKED, e.maskedFields());
        strings(g, WEIR_FIELDS_REMOVED, e.removedFields());
        if (!e.readPaths().isEmpty()) strings(g, WEIR_FIELDS_READ, e.readPaths());
        if (!e.writtenPaths().isEmpty()) strings(g, WEIR_FIELDS_WRITTEN, e.writtenPaths());
        if (!e.itemKeys().isEmpty()) strings(g, WEIR_KEYS, e.itemKeys());
        if (e.rowsDropped() != 0) number(g, WEIR_ROWS_DROPPED, e.rowsDropped());
        if (e.itemsReturned() != 0) number(g, WEIR_ITEMS_RETURNED, e.itemsReturned());
        if (e.upstreamStatus() != 0) number(g, WEIR_UPSTREAM_STATUS_CODE, e.upstreamStatus());
        if (e.decideMicros() != 0) number(g, WEIR_DECIDE_US, e.decideMicros());
        if (!e.lostSequences().isEmpty()) strings(g, WEIR_AUDIT_LOST_SEQUENCES, e.lostSequences());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializedString name, String value) throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    private static void string(JsonGenerator g, SerializedString name, SerializedString value) throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    private static void number(JsonGenerator g, SerializedString name, long value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    private static void strings(JsonGenerator g, SerializedString name, List<String> values) throws IOException {
        g.writeFieldName(name);
        g.writeStartArray();
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }
}
