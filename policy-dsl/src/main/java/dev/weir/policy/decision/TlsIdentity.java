package dev.weir.policy.decision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A verified TLS client certificate as policies see it.
 *
 * @param subject the subject's attributes by lowercase short name ({@code cn}, {@code ou},
 *                {@code o}, {@code c}, ...), the first value of each; {@code ctx.tls.subject.ou}
 * @param san     the subject alternative names (DNS names, URIs, e-mail addresses, IP
 *                addresses as text); {@code ctx.tls.san}
 */
public record TlsIdentity(Map<String, String> subject, List<String> san) {
    /** No client certificate. */
    public static final TlsIdentity NONE = new TlsIdentity(Map.of(), List.of());

    public TlsIdentity {
        Map<String, String> lower = new LinkedHashMap<>();
        subject.forEach((k, v) -> lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        subject = Map.copyOf(lower);
        san = List.copyOf(san);
    }

    /**
     * From an RFC 2253 distinguished name such as {@code CN=etl,OU=batch,O=Example} (as
     * {@code X500Principal.getName()} returns it) and the SAN values.
     */
    public static TlsIdentity of(String distinguishedName, List<String> san) {
        Map<String, String> subject = new LinkedHashMap<>();
        for (String rdn : splitUnescaped(distinguishedName, ',')) {
            int eq = rdn.indexOf('=');
            if (eq <= 0) continue;
            String key = rdn.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            subject.putIfAbsent(key, unescape(rdn.substring(eq + 1).trim()));
        }
        return new TlsIdentity(subject, san);
    }

    public boolean isPresent() {
        return !subject.isEmpty() || !san.isEmpty();
    }

    private static List<String> splitUnescaped(String text, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                cur.append(c).append(text.charAt(++i));
            } else if (c == separator) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) c = value.charAt(++i);
            out.append(c);
        }
        return out.toString();
    }
}
