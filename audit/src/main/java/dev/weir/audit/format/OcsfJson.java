package dev.weir.audit.format;

import dev.weir.audit.event.AuditEvent;

import java.util.List;

/**
 * OCSF 1.3 Datastore Activity (class_uid 6005, category 6 Application Activity), one JSON
 * object per line. Required attributes are always present; weir's own fields that OCSF has no
 * place for go under {@code unmapped}. Written by {@link JsonBytes}: Jackson's bytes, at a
 * fraction of its cost (issue 16).
 */
public final class OcsfJson implements EventFormat {
    public static final String OCSF_VERSION = "1.3.0";
    /** Each thread's writer (a shipper's), its buffer kept between records. */
    private static final ThreadLocal<JsonBytes> WRITER = ThreadLocal.withInitial(() -> new JsonBytes(1024));
    /* Member names encoded once (a name escaped per record was a third of the record's cost). */
    private static final byte[] N_ACTIVITY_ID = JsonBytes.name("activity_id");
    private static final byte[] N_ACTIVITY_NAME = JsonBytes.name("activity_name");
    private static final byte[] N_CATEGORY_UID = JsonBytes.name("category_uid");
    private static final byte[] N_CATEGORY_NAME = JsonBytes.name("category_name");
    private static final byte[] N_CLASS_UID = JsonBytes.name("class_uid");
    private static final byte[] N_CLASS_NAME = JsonBytes.name("class_name");
    private static final byte[] N_TYPE_UID = JsonBytes.name("type_uid");
    private static final byte[] N_SEVERITY_ID = JsonBytes.name("severity_id");
    private static final byte[] N_SEVERITY = JsonBytes.name("severity");
    private static final byte[] N_TIME = JsonBytes.name("time");
    private static final byte[] N_TIME_DT = JsonBytes.name("time_dt");
    private static final byte[] N_DURATION = JsonBytes.name("duration");
    private static final byte[] N_STATUS_ID = JsonBytes.name("status_id");
    private static final byte[] N_STATUS = JsonBytes.name("status");
    private static final byte[] N_STATUS_CODE = JsonBytes.name("status_code");
    private static final byte[] N_STATUS_DETAIL = JsonBytes.name("status_detail");
    private static final byte[] N_MESSAGE = JsonBytes.name("message");
    private static final byte[] N_DISPOSITION_ID = JsonBytes.name("disposition_id");
    private static final byte[] N_DISPOSITION = JsonBytes.name("disposition");
    private static final byte[] N_METADATA = JsonBytes.name("metadata");
    private static final byte[] N_VERSION = JsonBytes.name("version");
    private static final byte[] N_UID = JsonBytes.name("uid");
    private static final byte[] N_SEQUENCE = JsonBytes.name("sequence");
    private static final byte[] N_CORRELATION_UID = JsonBytes.name("correlation_uid");
    private static final byte[] N_LOG_PROVIDER = JsonBytes.name("log_provider");
    private static final byte[] N_PRODUCT = JsonBytes.name("product");
    private static final byte[] N_NAME = JsonBytes.name("name");
    private static final byte[] N_VENDOR_NAME = JsonBytes.name("vendor_name");
    private static final byte[] N_ACTOR = JsonBytes.name("actor");
    private static final byte[] N_USER = JsonBytes.name("user");
    private static final byte[] N_GROUPS_NAMES = JsonBytes.name("groups_names");
    private static final byte[] N_SRC_ENDPOINT = JsonBytes.name("src_endpoint");
    private static final byte[] N_IP = JsonBytes.name("ip");
    private static final byte[] N_PORT = JsonBytes.name("port");
    private static final byte[] N_SUBJECT = JsonBytes.name("subject");
    private static final byte[] N_TYPE_ID = JsonBytes.name("type_id");
    private static final byte[] N_TYPE = JsonBytes.name("type");
    private static final byte[] N_DATABASE = JsonBytes.name("database");
    private static final byte[] N_TABLE = JsonBytes.name("table");
    private static final byte[] N_API = JsonBytes.name("api");
    private static final byte[] N_OPERATION = JsonBytes.name("operation");
    private static final byte[] N_REQUEST = JsonBytes.name("request");
    private static final byte[] N_HTTP_RESPONSE = JsonBytes.name("http_response");
    private static final byte[] N_CODE = JsonBytes.name("code");
    private static final byte[] N_POLICIES = JsonBytes.name("policies");
    private static final byte[] N_UNMAPPED = JsonBytes.name("unmapped");
    private static final byte[] N_DECISION = JsonBytes.name("decision");
    private static final byte[] N_PHASE = JsonBytes.name("phase");
    private static final byte[] N_POLICY_HASH = JsonBytes.name("policy_hash");
    private static final byte[] N_FIELDS_MASKED = JsonBytes.name("fields_masked");
    private static final byte[] N_FIELDS_REMOVED = JsonBytes.name("fields_removed");
    private static final byte[] N_FIELDS_READ = JsonBytes.name("fields_read");
    private static final byte[] N_FIELDS_WRITTEN = JsonBytes.name("fields_written");
    private static final byte[] N_KEYS = JsonBytes.name("keys");
    private static final byte[] N_INDEX = JsonBytes.name("index");
    private static final byte[] N_ROWS_DROPPED = JsonBytes.name("rows_dropped");
    private static final byte[] N_ITEMS_RETURNED = JsonBytes.name("items_returned");
    private static final byte[] N_UPSTREAM_STATUS = JsonBytes.name("upstream_status");
    private static final byte[] N_DECIDE_US = JsonBytes.name("decide_us");
    private static final byte[] N_LATENCY_US = JsonBytes.name("latency_us");
    private static final byte[] N_LOST_SEQUENCES = JsonBytes.name("lost_sequences");

    @Override
    public String name() {
        return "ocsf";
    }

    @Override
    public byte[] encode(AuditEvent e) {
        int activity = Classification.activityId(e.operation());
        boolean success = Classification.success(e);
        boolean pending = Classification.pending(e);
        int severity = Classification.ocsfSeverity(e);
        JsonBytes g = WRITER.get().reset();
        g.startObject();
        g.field(N_ACTIVITY_ID).value(activity);
        g.field(N_ACTIVITY_NAME).value(activity == 99 ? e.operation() : Classification.activityName(activity));
        g.field(N_CATEGORY_UID).value(6);
        g.field(N_CATEGORY_NAME).value("Application Activity");
        g.field(N_CLASS_UID).value(6005);
        g.field(N_CLASS_NAME).value("Datastore Activity");
        g.field(N_TYPE_UID).value(6005L * 100 + activity);
        g.field(N_SEVERITY_ID).value(severity);
        g.field(N_SEVERITY).value(severity == 1 ? "Informational" : severity == 3 ? "Medium" : "High");
        g.field(N_TIME).value(Math.floorDiv(e.timeMicros(), 1000));
        g.field(N_TIME_DT).value(Text.rfc3339(e.timeMicros()));
        g.field(N_DURATION).value(e.latencyMicros() / 1000);
        g.field(N_STATUS_ID).value(pending ? 0 : success ? 1 : 2);
        g.field(N_STATUS).value(pending ? "Unknown" : success ? "Success" : "Failure");
        g.field(N_STATUS_CODE).value(Integer.toString(e.status()));
        if (e.errorType() != null) g.field(N_STATUS_DETAIL).value(e.errorType());
        if (e.note() != null) g.field(N_MESSAGE).value(e.note());
        int disposition = Classification.denied(e) ? 2 : Classification.gap(e) ? 99 : 1;
        g.field(N_DISPOSITION_ID).value(disposition);
        g.field(N_DISPOSITION).value(disposition == 1 ? "Allowed" : disposition == 2 ? "Blocked" : "Other");

        g.field(N_METADATA).startObject();
        g.field(N_VERSION).value(OCSF_VERSION);
        g.field(N_UID).value(e.instance(), ':', e.sequence());
        g.field(N_SEQUENCE).value(e.sequence());
        if (e.requestId() != null) g.field(N_CORRELATION_UID).value(e.requestId());
        g.field(N_LOG_PROVIDER).value(e.instance());
        g.field(N_PRODUCT).startObject();
        g.field(N_NAME).value("weir");
        g.field(N_VENDOR_NAME).value("weir");
        g.endObject();
        g.endObject();

        g.field(N_ACTOR).startObject();
        g.field(N_USER).startObject();
        g.field(N_NAME).value(e.principal());
        if (e.accessKeyId() != null) g.field(N_UID).value(e.accessKeyId());
        strings(g, N_GROUPS_NAMES, e.roles());
        g.endObject();
        g.endObject();

        g.field(N_SRC_ENDPOINT).startObject();
        g.field(N_IP).value(e.sourceAddress());
        g.field(N_PORT).value(e.sourcePort());
        if (e.tlsSubject() != null) g.field(N_SUBJECT).value(e.tlsSubject());
        g.endObject();

        g.field(N_TYPE_ID).value(3);
        g.field(N_TYPE).value("Table");
        g.field(N_DATABASE).startObject();
        g.field(N_NAME).value("dynamodb");
        g.field(N_TYPE_ID).value(99);
        g.field(N_TYPE).value("DynamoDB");
        g.endObject();
        g.field(N_TABLE).startObject();
        g.field(N_NAME).value(e.table());
        g.endObject();

        g.field(N_API).startObject();
        g.field(N_OPERATION).value(Classification.action(e));
        if (e.requestId() != null) {
            g.field(N_REQUEST).startObject();
            g.field(N_UID).value(e.requestId());
            g.endObject();
        }
        g.endObject();
        g.field(N_HTTP_RESPONSE).startObject();
        g.field(N_CODE).value(e.status());
        g.endObject();

        g.field(N_POLICIES).startArray();
        for (String rule : e.ruleIds()) {
            g.startObject();
            g.field(N_UID).value(rule);
            g.field(N_VERSION).value(e.policyHash());
            g.endObject();
        }
        g.endArray();

        g.field(N_UNMAPPED).startObject();
        g.field(N_DECISION).value(e.decision());
        if (e.phase() != null) g.field(N_PHASE).value(e.phase());
        g.field(N_POLICY_HASH).value(e.policyHash());
        strings(g, N_FIELDS_MASKED, e.maskedFields());
        strings(g, N_FIELDS_REMOVED, e.removedFields());
        strings(g, N_FIELDS_READ, e.readPaths());
        strings(g, N_FIELDS_WRITTEN, e.writtenPaths());
        strings(g, N_KEYS, e.itemKeys());
        if (e.index() != null) g.field(N_INDEX).value(e.index());
        g.field(N_ROWS_DROPPED).value(e.rowsDropped());
        g.field(N_ITEMS_RETURNED).value(e.itemsReturned());
        g.field(N_UPSTREAM_STATUS).value(e.upstreamStatus());
        g.field(N_DECIDE_US).value(e.decideMicros());
        g.field(N_LATENCY_US).value(e.latencyMicros());
        if (!e.lostSequences().isEmpty()) strings(g, N_LOST_SEQUENCES, e.lostSequences());
        g.endObject();
        g.endObject();
        return g.toByteArray();
    }

    private static void strings(JsonBytes g, byte[] name, List<String> values) {
        g.field(name).values(values);
    }
}
