package dev.weir.audit.format;

import dev.weir.audit.event.AuditEvent;

import java.nio.charset.StandardCharsets;

/**
 * RFC 5424 syslog: {@code <PRI>1 TIMESTAMP HOST weir - MSGID [weir@32473 ...] MSG}, facility
 * 13 (log audit). Every field of the event is an SD-PARAM; in PARAM-VALUEs {@code "},
 * {@code \} and {@code ]} are escaped with a backslash as the RFC requires. The RFC has no
 * escape for control characters, so those become U+FFFD and a record never spans lines.
 * HOSTNAME and MSGID keep only printable US-ASCII (others become {@code _}), as the RFC
 * requires. The SD-ID's enterprise number is configurable (32473 is the number RFC 5612
 * reserves for documentation).
 */
public final class Rfc5424 implements EventFormat {
    public static final int FACILITY_LOG_AUDIT = 13;
    private final String sdId;

    public Rfc5424() {
        this("weir@32473");
    }

    public Rfc5424(String sdId) {
        this.sdId = sdId;
    }

    @Override
    public String name() {
        return "syslog";
    }

    @Override
    public byte[] encode(AuditEvent e) {
        StringBuilder b = new StringBuilder(640);
        b.append('<').append(FACILITY_LOG_AUDIT * 8 + Classification.syslogSeverity(e)).append(">1 ");
        b.append(Text.rfc3339(e.timeMicros())).append(' ');
        b.append(header(e.instance(), 255)).append(" weir - ");
        b.append(header(Classification.action(e), 32)).append(' ');
        b.append('[').append(sdId);
        param(b, "seq", Long.toString(e.sequence()));
        param(b, "instance", e.instance());
        param(b, "principal", e.principal());
        param(b, "roles", Text.joined(e.roles()));
        param(b, "accessKeyId", e.accessKeyId());
        param(b, "src", e.sourceAddress());
        param(b, "srcPort", Integer.toString(e.sourcePort()));
        param(b, "tlsSubject", e.tlsSubject());
        param(b, "op", Classification.action(e));
        param(b, "requestId", e.requestId());
        param(b, "phase", e.phase());
        param(b, "table", e.table());
        param(b, "index", e.index());
        param(b, "decision", e.decision());
        param(b, "rules", Text.joined(e.ruleIds()));
        param(b, "policy", e.policyHash());
        param(b, "masked", Text.joined(e.maskedFields()));
        param(b, "removed", Text.joined(e.removedFields()));
        if (!e.itemKeys().isEmpty()) param(b, "keys", Text.joined(e.itemKeys()));
        if (!e.readPaths().isEmpty()) param(b, "read", Text.joined(e.readPaths()));
        if (!e.writtenPaths().isEmpty()) param(b, "written", Text.joined(e.writtenPaths()));
        param(b, "outcome", Classification.outcome(e));
        param(b, "status", Integer.toString(e.status()));
        param(b, "error", e.errorType());
        param(b, "latencyUs", Long.toString(e.latencyMicros()));
        param(b, "items", Integer.toString(e.itemsReturned()));
        param(b, "note", e.note());
        b.append(']');
        b.append(' ').append(Text.noControls(summary(e)));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String summary(AuditEvent e) {
        return (e.principal() == null ? "-" : e.principal()) + " " + Classification.action(e)
                + " " + (e.table() == null ? "-" : e.table()) + " " + e.decision() + " " + e.status()
                + (e.phase() == null ? "" : " " + e.phase());
    }

    private static String header(String s, int max) {
        if (s == null || s.isEmpty()) return "-";
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c >= 33 && c <= 126 ? c : '_');
        }
        return b.toString();
    }

    private static void param(StringBuilder b, String name, String value) {
        if (value == null) return;
        b.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') b.append('\\');
            b.append(Text.isControl(c) ? Text.REPLACEMENT : c);
        }
        b.append('"');
    }
}
