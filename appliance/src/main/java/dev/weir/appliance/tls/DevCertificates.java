package dev.weir.appliance.tls;

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
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A development certificate authority for {@code weir up --tls}: made once under the home
 * folder, then reused. It issues the server certificate (127.0.0.1 and localhost) and one
 * client certificate per principal, with subject {@code CN=<name>,OU=weir-dev,O=weir}.
 * For development only: the CA key sits beside the certificates.
 */
public final class DevCertificates {
    public static final String CLIENT_SUBJECT = "CN=%s,OU=weir-dev,O=weir";

    /** Where the files are. */
    public record Issued(Path caCertificate, Path serverCertificate, Path serverKey, Path clientsDir) {}

    private DevCertificates() {}

    /** Makes whatever is missing under {@code dir}; existing files are kept. */
    public static Issued ensure(Path dir, List<String> principalNames) throws IOException, GeneralSecurityException {
        Path caCert = dir.resolve("ca.pem"), caKey = dir.resolve("ca.key");
        Path serverCert = dir.resolve("server.pem"), serverKey = dir.resolve("server.key");
        Path clients = dir.resolve("clients");
        Files.createDirectories(clients);
        if (!Files.exists(caCert) || !Files.exists(caKey)) {
            KeyPair ca = keyPair();
            X500Name name = name("CN=weir development CA,O=weir");
            X509v3CertificateBuilder b = builder(name, name, ca, Duration.ofDays(3650));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            write(caCert, pem(sign(b, ca.getPrivate())));
            writeKey(caKey, ca.getPrivate());
            Files.deleteIfExists(serverCert);
        }
        X509Certificate caCertificate = readCertificate(caCert);
        PrivateKey caPrivate = readKey(caKey);
        if (!Files.exists(serverCert) || !Files.exists(serverKey)) {
            KeyPair server = keyPair();
            X509v3CertificateBuilder b = builder(issuer(caCertificate), name("CN=localhost,O=weir"), server,
                    Duration.ofDays(825));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            write(serverCert, pem(sign(b, caPrivate)));
            writeKey(serverKey, server.getPrivate());
        }
        for (String principal : principalNames) {
            Path cert = clients.resolve(principal + ".pem"), key = clients.resolve(principal + ".key");
            if (Files.exists(cert) && Files.exists(key)) continue;
            KeyPair client = keyPair();
            X509v3CertificateBuilder b = builder(issuer(caCertificate), name(CLIENT_SUBJECT.formatted(principal)),
                    client, Duration.ofDays(825));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            write(cert, pem(sign(b, caPrivate)));
            writeKey(key, client.getPrivate());
        }
        return new Issued(caCert, serverCert, serverKey, clients);
    }

    private static X500Name issuer(X509Certificate ca) {
        return X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
    }

    /**
     * A name encoded by the JDK from its RFC 2253 text, so that the JDK gives the same text
     * back for the certificate (BouncyCastle would keep the text's order in the encoding,
     * which RFC 2253 reverses).
     */
    private static X500Name name(String rfc2253) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(rfc2253).getEncoded());
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Duration validity) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    private static void writeKey(Path file, PrivateKey key) throws IOException {
        write(file, pem(new JcaPKCS8Generator(key, null)));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        String body = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return java.security.KeyFactory.getInstance("EC")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(body)));
    }
}
