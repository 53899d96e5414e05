package dev.weir.policy.decision;

import javax.naming.InvalidNameException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A verified TLS client certificate as policies see it.
 *
 * <p>A subject attribute may occur several times in a distinguished name ({@code OU=a,OU=batch},
 * or one RDN {@code OU=a+OU=batch}), and which occurrence comes first depends only on how the
 * issuer ordered the RDNs. So every attribute is the <em>set</em> of its values, kept as a
 * sorted list: {@code ctx.tls.subject.ou} of {@code OU=batch,OU=a} and of {@code OU=a,OU=batch}
 * are both {@code ["a", "batch"]}, and a policy tests membership ({@code "batch" in
 * ctx.tls.subject.ou}), which no RDN order can change. The checker refuses {@code ==} and
 * ordering on these values for that reason.
 *
 * @param subject the subject's attributes by lowercase short name ({@code cn}, {@code ou},
 *                {@code o}, {@code c}, ...; an attribute the JDK has no name for by its OID),
 *                each the sorted, distinct list of its values
 * @param san     the subject alternative names that can identify (DNS names, URIs, e-mail
 *                addresses, IP addresses as text); {@code ctx.tls.san}
 */
public record TlsIdentity(Map<String, List<String>> subject, List<String> san) {
    /** No client certificate. */
    public static final TlsIdentity NONE = new TlsIdentity(Map.of(), List.of());

    public TlsIdentity {
        Map<String, TreeSet<String>> merged = new LinkedHashMap<>();
        subject.forEach((k, v) -> merged.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new TreeSet<>(TlsIdentity::codePoints))
                .addAll(v));
        Map<String, List<String>> lists = new LinkedHashMap<>();
        merged.forEach((k, v) -> { if (!v.isEmpty()) lists.put(k, List.copyOf(v)); });
        subject = Map.copyOf(lists);
        san = List.copyOf(san);
    }

    /**
     * From an RFC 2253 distinguished name such as {@code CN=etl,OU=batch,O=Example} (as
     * {@code X500Principal.getName()} returns it; multi-valued RDNs and escapes included) and
     * the SAN values.
     *
     * @throws IllegalArgumentException if {@code distinguishedName} is not a distinguished name
     */
    public static TlsIdentity of(String distinguishedName, List<String> san) {
        Map<String, List<String>> subject = new LinkedHashMap<>();
        LdapName name;
        try {
            name = new LdapName(distinguishedName);
        } catch (InvalidNameException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a distinguished name (RFC 2253): " + distinguishedName);
        }
        for (Rdn rdn : name.getRdns()) {
            try {
                NamingEnumeration<? extends Attribute> attributes = rdn.toAttributes().getAll();
                while (attributes.hasMore()) {
                    Attribute a = attributes.next();
                    List<String> values = subject.computeIfAbsent(a.getID().toLowerCase(Locale.ROOT), k -> new ArrayList<>());
                    for (int i = 0; i < a.size(); i++) values.add(text(a.get(i)));
                }
            } catch (NamingException e) {
                throw new IllegalArgumentException("not a distinguished name (RFC 2253): " + distinguishedName);
            }
        }
        return new TlsIdentity(subject, san);
    }

    public boolean isPresent() {
        return !subject.isEmpty() || !san.isEmpty();
    }

    /** A value as text; one written in hex ({@code #04...}, an encoding the JDK has no string form for) stays hex. */
    private static String text(Object value) {
        return value instanceof byte[] b ? "#" + HexFormat.of().formatHex(b) : String.valueOf(value);
    }

    /** Code point order (UTF-8 byte order, DynamoDB's order of strings): the order of the values in a list. */
    private static int codePoints(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i), y = b.codePointAt(j);
            if (x != y) return Integer.compare(x, y);
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
