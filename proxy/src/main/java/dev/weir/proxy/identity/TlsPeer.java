package dev.weir.proxy.identity;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The verified TLS client certificate of a connection: its subject (RFC 2253), the subject's
 * fields by attribute type (CN, OU, O, …) and its subject alternative names.
 */
public record TlsPeer(String subject, Map<String, String> subjectFields, List<String> subjectAltNames) {
    public TlsPeer {
        subjectFields = Map.copyOf(subjectFields);
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    public static TlsPeer of(X509Certificate cert) {
        X500Principal p = cert.getSubjectX500Principal();
        String subject = p.getName(X500Principal.RFC2253);
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                fields.putIfAbsent(rdn.getType().toUpperCase(Locale.ROOT), String.valueOf(rdn.getValue()));
            }
        } catch (InvalidNameException e) {
            // the JDK produced this name; it parses
        }
        List<String> sans = new ArrayList<>();
        try {
            Collection<List<?>> alt = cert.getSubjectAlternativeNames();
            if (alt != null) for (List<?> entry : alt) if (entry.size() == 2) sans.add(String.valueOf(entry.get(1)));
        } catch (CertificateParsingException e) {
            // no readable SANs
        }
        return new TlsPeer(subject, fields, sans);
    }
}
