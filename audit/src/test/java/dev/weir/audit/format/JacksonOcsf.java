package dev.weir.audit.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.weir.audit.event.AuditEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The OCSF writer as it was before {@link JsonBytes}: Jackson's generator, the reference the bytes are held to. */
final class JacksonOcsf {
    private static final String OCSF_VERSION = OcsfJson.OCSF_VERSION;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    static byte[] encode(AuditEvent e) {
        int activity = Classification.activityId(e.operation());
        boolean success = Classification.success(e);
        boolean pending = Classification.pending(e);
        int severity = Classification.ocsfSeverity(e);
        ByteArrayBuilder out = new ByteArrayBuilder(768);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("activity_id", activity);
            g.writeStringField("activity_name", activity == 99 ? e.operation() : Classification.activityName(activity));
            g.writeNumberField("category_uid", 6);
            g.writeStringField("category_name", "Application Activity");
            g.writeNumberField("class_uid", 6005);
            g.writeStringField("class_name", "Datastore Activity");
            g.writeNumberField("type_uid", 6005L * 100 + activity);
            g.writeNumberField("severity_id", severity);
            g.writeStringField("severity", severity == 1 ? "Informational" : severity == 3 ? "Medium" : "High");
            g.writeNumberField("time", Math.floorDiv(e.timeMicros(), 1000));
            g.writeStringField("time_dt", Text.rfc3339(e.timeMicros()));
            g.writeNumberField("duration", e.latencyMicros() / 1000);
            g.writeNumberField("status_id", pending ? 0 : success ? 1 : 2);
            g.writeStringField("status", pending ? "Unknown" : success ? "Success" : "Failure");
            g.writeStringField("status_code", Integer.toString(e.status()));
            if (e.errorType() != null) g.writeStringField("status_detail", e.errorType());
            if (e.note() != null) g.writeStringField("message", e.note());
            int disposition = Classification.denied(e) ? 2 : Classification.gap(e) ? 99 : 1;
            g.writeNumberField("disposition_id", disposition);
            g.writeStringField("disposition", disposition == 1 ? "Allowed" : disposition == 2 ? "Blocked" : "Other");

            g.writeObjectFieldStart("metadata");
            g.writeStringField("version", OCSF_VERSION);
            g.writeStringField("uid", e.instance() + ":" + e.sequence());
            g.writeNumberField("sequence", e.sequence());
            if (e.requestId() != null) g.writeStringField("correlation_uid", e.requestId());
            g.writeStringField("log_provider", e.instance());
            g.writeObjectFieldStart("product");
            g.writeStringField("name", "weir");
            g.writeStringField("vendor_name", "weir");
            g.writeEndObject();
            g.writeEndObject();

            g.writeObjectFieldStart("actor");
            g.writeObjectFieldStart("user");
            g.writeStringField("name", e.principal());
            if (e.accessKeyId() != null) g.writeStringField("uid", e.accessKeyId());
            strings(g, "groups_names", e.roles());
            g.writeEndObject();
            g.writeEndObject();

            g.writeObjectFieldStart("src_endpoint");
            g.writeStringField("ip", e.sourceAddress());
            g.writeNumberField("port", e.sourcePort());
            if (e.tlsSubject() != null) g.writeStringField("subject", e.tlsSubject());
            g.writeEndObject();

            g.writeNumberField("type_id", 3);
            g.writeStringField("type", "Table");
            g.writeObjectFieldStart("database");
            g.writeStringField("name", "dynamodb");
            g.writeNumberField("type_id", 99);
            g.writeStringField("type", "DynamoDB");
            g.writeEndObject();
            g.writeObjectFieldStart("table");
            g.writeStringField("name", e.table());
            g.writeEndObject();

            g.writeObjectFieldStart("api");
            g.writeStringField("operation", Classification.action(e));
            if (e.requestId() != null) {
                g.writeObjectFieldStart("request");
                g.writeStringField("uid", e.requestId());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("http_response");
            g.writeNumberField("code", e.status());
            g.writeEndObject();

            g.writeArrayFieldStart("policies");
            for (String rule : e.ruleIds()) {
                g.writeStartObject();
                g.writeStringField("uid", rule);
                g.writeStringField("version", e.policyHash());
                g.writeEndObject();
            }
            g.writeEndArray();

            g.writeObjectFieldStart("unmapped");
            g.writeStringField("decision", e.decision());
            if (e.phase() != null) g.writeStringField("phase", e.phase());
            g.writeStringField("policy_hash", e.policyHash());
            strings(g, "fields_masked", e.maskedFields());
            strings(g, "fields_removed", e.removedFields());
            strings(g, "fields_read", e.readPaths());
            strings(g, "fields_written", e.writtenPaths());
            strings(g, "keys", e.itemKeys());
            if (e.index() != null) g.writeStringField("index", e.index());
            g.writeNumberField("rows_dropped", e.rowsDropped());
            g.writeNumberField("items_returned", e.itemsReturned());
            g.writeNumberField("upstream_status", e.upstreamStatus());
            g.writeNumberField("decide_us", e.decideMicros());
            g.writeNumberField("latency_us", e.latencyMicros());
            if (!e.lostSequences().isEmpty()) strings(g, "lost_sequences", e.lostSequences());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }
}
