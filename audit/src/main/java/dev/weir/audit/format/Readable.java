package dev.weir.audit.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One audit record as a line for people: {@code TIME #SEQ PRINCIPAL OPERATION TABLE DECISION
 * STATUS LATENCY [rules] masked=.. removed=..}. Understands ECS and OCSF JSON; any other
 * record (CEF, LEEF, syslog) is shown as it is, with control characters made visible.
 */
public final class Readable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Readable() {}

    public static String line(String record) {
        if (record.startsWith("{")) {
            try {
                JsonNode n = JSON.readTree(record);
                if (n.has("class_uid")) return ocsf(n);
                if (n.has("@timestamp")) return ecs(n);
            } catch (Exception ignored) {
                // not JSON after all: fall through
            }
        }
        return Text.noControls(record);
    }

    private static String ecs(JsonNode n) {
        StringBuilder b = new StringBuilder();
        b.append(s(n, "@timestamp")).append(" #").append(s(n, "event.sequence"))
                .append(' ').append(s(n, "user.name")).append(' ').append(s(n, "event.action"))
                .append(' ').append(s(n, "weir.table")).append(' ').append(s(n, "weir.decision"))
                .append(' ').append(s(n, "http.response.status_code"))
                .append(' ').append(n.path("event.duration").asLong() / 1000).append("us");
        if (n.hasNonNull("weir.phase")) b.append(" phase=").append(s(n, "weir.phase"));
        if (n.hasNonNull("http.request.id")) b.append(" request=").append(s(n, "http.request.id"));
        list(b, "rules", n.path("rule.id"));
        list(b, "masked", n.path("weir.fields.masked"));
        list(b, "removed", n.path("weir.fields.removed"));
        if (n.hasNonNull("error.type")) b.append(" error=").append(s(n, "error.type"));
        if (n.hasNonNull("message")) b.append(" \"").append(s(n, "message")).append('"');
        return Text.noControls(b.toString());
    }

    private static String ocsf(JsonNode n) {
        StringBuilder b = new StringBuilder();
        b.append(n.path("time_dt").asText(n.path("time").asText())).append(" #").append(n.at("/metadata/sequence").asText())
                .append(' ').append(n.at("/actor/user/name").asText("-")).append(' ').append(n.at("/api/operation").asText("-"))
                .append(' ').append(n.at("/table/name").asText("-")).append(' ').append(n.at("/unmapped/decision").asText("-"))
                .append(' ').append(n.path("status_code").asText())
                .append(' ').append(n.at("/unmapped/latency_us").asLong()).append("us");
        list(b, "masked", n.at("/unmapped/fields_masked"));
        list(b, "removed", n.at("/unmapped/fields_removed"));
        return Text.noControls(b.toString());
    }

    private static String s(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "-" : v.asText();
    }

    private static void list(StringBuilder b, String label, JsonNode array) {
        if (!array.isArray() || array.isEmpty()) return;
        b.append(' ').append(label).append('=');
        for (int i = 0; i < array.size(); i++) b.append(i == 0 ? "" : ",").append(array.get(i).asText());
    }
}
