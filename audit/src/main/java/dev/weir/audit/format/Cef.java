package dev.weir.audit.format;

import dev.weir.audit.event.AuditEvent;

import java.nio.charset.StandardCharsets;

/**
 * ArcSight CEF: {@code CEF:0|weir|weir|VERSION|OPERATION|NAME|SEVERITY|EXTENSION}. In the
 * header {@code \} and {@code |} are escaped with a backslash; in extension values {@code \},
 * {@code =} are escaped and CR and LF become {@code \r} and {@code \n}. CEF has no escape for
 * other control characters or for a line break in the header: those become U+FFFD.
 */
public final class Cef implements EventFormat {
    private final String productVersion;

    public Cef() {
        this("0.1.0");
    }

    public Cef(String productVersion) {
        this.productVersion = productVersion;
    }

    @Override
    public String name() {
        return "cef";
    }

    @Override
    public byte[] encode(AuditEvent e) {
        StringBuilder b = new StringBuilder(512).append("CEF:0|");
        header(b, "weir");
        header(b, "weir");
        header(b, productVersion);
        header(b, Classification.action(e));
        header(b, (e.operation() == null ? "request" : e.operation()) + " " + e.decision());
        b.append(Classification.cefSeverity(e)).append('|');
        Extension x = new Extension(b);
        x.put("rt", Long.toString(Math.floorDiv(e.timeMicros(), 1000)));
        x.put("externalId", Long.toString(e.sequence()));
        x.put("dvchost", e.instance());
        x.put("suser", e.principal());
        x.put("suid", e.accessKeyId());
        x.put("src", e.sourceAddress());
        x.put("spt", Integer.toString(e.sourcePort()));
        x.put("act", e.decision());
        x.put("outcome", Classification.outcome(e));
        x.put("reason", e.errorType());
        x.put("msg", e.note());
        x.put("cn1Label", "status");
        x.put("cn1", Integer.toString(e.status()));
        x.put("cn2Label", "latencyMicros");
        x.put("cn2", Long.toString(e.latencyMicros()));
        x.put("cn3Label", "itemsReturned");
        x.put("cn3", Integer.toString(e.itemsReturned()));
        x.put("cs1Label", "table");
        x.put("cs1", e.table());
        x.put("cs2Label", "rules");
        x.put("cs2", Text.joined(e.ruleIds()));
        x.put("cs3Label", "policyHash");
        x.put("cs3", e.policyHash());
        x.put("cs4Label", "maskedFields");
        x.put("cs4", Text.joined(e.maskedFields()));
        x.put("cs5Label", "removedFields");
        x.put("cs5", Text.joined(e.removedFields()));
        x.put("cs6Label", "roles");
        x.put("cs6", Text.joined(e.roles()));
        if (e.tlsSubject() != null) x.put("duser", e.tlsSubject());
        if (e.requestId() != null) {
            x.put("flexString1Label", "requestId");
            x.put("flexString1", e.requestId());
        }
        if (e.phase() != null) {
            x.put("flexString2Label", "phase");
            x.put("flexString2", e.phase());
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void header(StringBuilder b, String s) {
        s = Text.noControls(s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '|') b.append('\\');
            b.append(c);
        }
        b.append('|');
    }

    /** Appends {@code key=value} pairs separated by spaces, skipping null values. */
    private record Extension(StringBuilder b) {
        void put(String key, String value) {
            if (value == null) return;
            if (b.charAt(b.length() - 1) != '|') b.append(' ');
            b.append(key).append('=');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> b.append("\\\\");
                    case '=' -> b.append("\\=");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    default -> b.append(Text.isControl(c) ? Text.REPLACEMENT : c);
                }
            }
        }
    }
}
