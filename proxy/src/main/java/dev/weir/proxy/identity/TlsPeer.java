package dev.weir.proxy.identity;

import javax.security.auth.x500.X500Principal;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The verified TLS client certificate of a connection: its subject (RFC 2253, as the JDK
 * prints it, for policies), its subject as a {@link CertificateName} (null when the subject
 * is empty), and those of its subject alternative names that can identify, each with its type.
 * Other SANs (a directory name, an otherName, ...) are left out: they identify no one and are
 * not shown to policies.
 */
public record TlsPeer(String subject, CertificateName subjectName, List<CertificateName> altNames) {
    public TlsPeer {
        altNames = List.copyOf(altNames);
    }

    public static TlsPeer of(X509Certificate cert) {
        X500Principal p = cert.getSubjectX500Principal();
        CertificateName subjectName;
        try {
            subjectName = CertificateName.subject(p.getName(X500Principal.RFC2253));
        } catch (IllegalArgumentException e) {
            subjectName = null;   // an empty subject (a certificate that names its holder by SANs only)
        }
        List<CertificateName> names = new ArrayList<>();
        try {
            Collection<List<?>> alt = cert.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    if (entry.size() != 2 || !(entry.get(0) instanceof Integer tag) || !(entry.get(1) instanceof String value)) continue;
                    CertificateName.Type type = CertificateName.Type.ofGeneralNameTag(tag);
                    if (type == null) continue;
                    try {
                        names.add(new CertificateName(type, value));
                    } catch (IllegalArgumentException e) {
                        // a malformed name identifies no one
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no readable SANs: none identify
        }
        return new TlsPeer(p.getName(X500Principal.RFC2253), subjectName, names);
    }

    /** The values of the identifying SANs, for policies ({@code ctx.tls.san}). */
    public List<String> subjectAltNames() {
        return altNames.stream().map(CertificateName::value).toList();
    }

    /** Every name that may identify the holder: the subject (if any), then the SANs. */
    public List<CertificateName> names() {
        List<CertificateName> out = new ArrayList<>(altNames.size() + 1);
        if (subjectName != null) out.add(subjectName);
        out.addAll(altNames);
        return out;
    }
}
