package dev.weir.audit.format;

import dev.weir.audit.event.AuditEvent;

import java.nio.charset.StandardCharsets;

/**
 * IBM LEEF 2.0: {@code LEEF:2.0|weir|weir|VERSION|OPERATION|x09|key=value<TAB>key=value...}.
 * The attribute delimiter is a tab, declared in the header as {@code x09}. LEEF defines no
 * escape for the delimiter or for line breaks, so in values every control character (tab,
 * CR, LF and the rest) becomes U+FFFD; a value may contain {@code =} and {@code |} as they
 * are (a parser splits each pair at its first {@code =}). Header fields escape {@code \} and
 * {@code |} with a backslash.
 */
public final class Leef implements EventFormat {
    public static final char DELIMITER = '\t';
    private final String productVersion;

    public Leef() {
        this("0.1.0");
    }

    public Leef(String productVersion) {
        this.productVersion = productVersion;
    }

    @Override
    public String name() {
        return "leef";
    }

    @Override
    public byte[] encode(AuditEvent e) {
        StringBuilder b = new StringBuilder(512).append("LEEF:2.0|");
        header(b, "weir");
        header(b, "weir");
        header(b, productVersion);
        header(b, Classification.action(e));
        b.append("x09|");
        int start = b.length();
        put(b, start, "devTime", Long.toString(Math.floorDiv(e.timeMicros(), 1000)));
        put(b, start, "devTimeFormat", "epoch_ms");  // informational: devTime is milliseconds since the epoch
        put(b, start, "cat", e.decision());
        put(b, start, "phase", e.phase());
        put(b, start, "requestId", e.requestId());
        put(b, start, "outcome", Classification.outcome(e));
        put(b, start, "sev", Integer.toString(Classification.cefSeverity(e)));
        put(b, start, "sequence", Long.toString(e.sequence()));
        put(b, start, "identHostName", e.instance());
        put(b, start, "usrName", e.principal());
        put(b, start, "accountName", e.accessKeyId());
        put(b, start, "role", Text.joined(e.roles()));
        put(b, start, "src", e.sourceAddress());
        put(b, start, "srcPort", Integer.toString(e.sourcePort()));
        put(b, start, "tlsSubject", e.tlsSubject());
        put(b, start, "resource", e.table());
        put(b, start, "index", e.index());
        put(b, start, "policy", e.policyHash());
        put(b, start, "rules", Text.joined(e.ruleIds()));
        put(b, start, "maskedFields", Text.joined(e.maskedFields()));
        put(b, start, "removedFields", Text.joined(e.removedFields()));
        if (!e.itemKeys().isEmpty()) put(b, start, "keys", Text.joined(e.itemKeys()));
        if (!e.readPaths().isEmpty()) put(b, start, "readFields", Text.joined(e.readPaths()));
        if (!e.writtenPaths().isEmpty()) put(b, start, "writtenFields", Text.joined(e.writtenPaths()));
        put(b, start, "status", Integer.toString(e.status()));
        put(b, start, "error", e.errorType());
        put(b, start, "latencyMicros", Long.toString(e.latencyMicros()));
        put(b, start, "itemsReturned", Integer.toString(e.itemsReturned()));
        put(b, start, "msg", e.note());
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

    private static void put(StringBuilder b, int start, String key, String value) {
        if (value == null) return;
        if (b.length() > start) b.append(DELIMITER);
        b.append(key).append('=').append(Text.noControls(value));
    }
}
