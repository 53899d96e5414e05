package dev.weir.audit.sink;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** A throwaway CA with a receiver certificate (localhost, 127.0.0.1) and named client certificates, as PEM files. */
final class TestCertificates {
    /** A certificate and its key as PEM files. */
    record Pair(Path cert, Path key) {}

    final Path dir;
    final Path caFile;
    private final KeyPair ca;
    private final X509Certificate caCert;

    TestCertificates(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        this.ca = keys();
        X500Name name = new X500Name("CN=weir test CA");
        X509v3CertificateBuilder b = builder(name, name, ca);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        this.caCert = sign(b);
        this.caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, pem(caCert));
    }

    /** The receiver's certificate: localhost and 127.0.0.1. */
    Pair server() throws Exception {
        KeyPair k = keys();
        X509v3CertificateBuilder b = builder(new X500Name("CN=localhost"), k);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        return write("server", sign(b), k);
    }

    /** A client certificate whose CN and DNS name are {@code name}. */
    Pair client(String name) throws Exception {
        KeyPair k = keys();
        X509v3CertificateBuilder b = builder(new X500Name("CN=" + name), k);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
        return write(name, sign(b), k);
    }

    private Pair write(String base, X509Certificate cert, KeyPair k) throws Exception {
        Path c = dir.resolve(base + ".pem"), key = dir.resolve(base + ".key");
        Files.writeString(c, pem(cert));
        Files.writeString(key, pem(new JcaPKCS8Generator(k.getPrivate(), null)));
        return new Pair(c, key);
    }

    private X509v3CertificateBuilder builder(X500Name subject, KeyPair k) {
        return builder(new X500Name(caCert.getSubjectX500Principal().getName()), subject, k);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair k) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, k.getPublic());
    }

    private X509Certificate sign(X509v3CertificateBuilder b) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.getPrivate())));
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String pem(Object o) throws Exception {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }
}
