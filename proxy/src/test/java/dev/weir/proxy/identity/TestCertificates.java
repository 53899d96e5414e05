package dev.weir.proxy.identity;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.security.auth.x500.X500Principal;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Self-signed certificates with a chosen subject and subject alternative names (chain checks are TLS's job, not identity's). */
final class TestCertificates {
    private static final KeyPair KEYS;

    static {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KEYS = g.generateKeyPair();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TestCertificates() {}

    /**
     * A certificate for {@code subject} with these SANs. The subject is encoded in the order
     * RFC 2253 text gives it reversed (as the JDK encodes it), or {@code asWritten} in the
     * text's order, to get both RDN orders of the same attributes.
     */
    static X509Certificate issue(String subject, boolean asWritten, GeneralName... sans) throws Exception {
        X500Name name = asWritten ? new X500Name(subject) : X500Name.getInstance(new X500Principal(subject).getEncoded());
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, KEYS.getPublic());
        if (sans.length > 0) b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(KEYS.getPrivate())));
    }

    static X509Certificate issue(String subject, GeneralName... sans) throws Exception {
        return issue(subject, false, sans);
    }

    static GeneralName dns(String v) {
        return new GeneralName(GeneralName.dNSName, v);
    }

    static GeneralName email(String v) {
        return new GeneralName(GeneralName.rfc822Name, v);
    }

    static GeneralName uri(String v) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, v);
    }

    static GeneralName ip(String v) {
        return new GeneralName(GeneralName.iPAddress, v);
    }

    static GeneralName dirName(String rfc2253) {
        return new GeneralName(GeneralName.directoryName, X500Name.getInstance(new X500Principal(rfc2253).getEncoded()));
    }
}
