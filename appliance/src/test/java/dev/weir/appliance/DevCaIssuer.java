package dev.weir.appliance;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.security.auth.x500.X500Principal;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Client certificates with chosen subjects and SANs, issued by the development CA that
 * {@code weir up --tls} made under its home folder, so the proxy verifies them like its own.
 * Each is written as {@code clients/<label>.pem} and {@code .key} beside the principals' ones.
 */
final class DevCaIssuer {
    private DevCaIssuer() {}

    static void issue(Path tlsDir, String label, String subject, GeneralName... sans) throws Exception {
        issue(tlsDir, "clients/" + label, KeyPurposeId.id_kp_clientAuth, subject, sans);
    }

    /** A server certificate (for a store's names, in transparent mode) as {@code servers/<label>.pem} and {@code .key}. */
    static void issueServer(Path tlsDir, String label, String subject, GeneralName... sans) throws Exception {
        Files.createDirectories(tlsDir.resolve("servers"));
        issue(tlsDir, "servers/" + label, KeyPurposeId.id_kp_serverAuth, subject, sans);
    }

    static GeneralName ip(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    private static void issue(Path tlsDir, String file, KeyPurposeId purpose, String subject, GeneralName... sans) throws Exception {
        X509Certificate ca;
        try (var in = Files.newInputStream(tlsDir.resolve("ca.pem"))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        PrivateKey caKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(
                Files.readString(tlsDir.resolve("ca.key")).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))));
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                X500Name.getInstance(new X500Principal(subject).getEncoded()), keys.getPublic());
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (sans.length > 0) b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
        Files.writeString(tlsDir.resolve(file + ".pem"), pem(cert));
        Files.writeString(tlsDir.resolve(file + ".key"), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
    }

    static GeneralName dirName(String rfc2253) {
        return new GeneralName(GeneralName.directoryName, X500Name.getInstance(new X500Principal(rfc2253).getEncoded()));
    }

    private static String pem(Object o) throws Exception {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }
}
