package dev.weir.audit.sink;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An {@link SSLContext} from PEM files, the way SIEM operators hand them out: the CA
 * certificates that sign the receiver's certificate, and optionally a client certificate
 * chain with its PKCS#8 private key (RSA, EC or Ed25519). Nothing falls back to the JDK's
 * default trust store: a receiver is trusted only if the configured CA signed it.
 */
public final class TlsFiles {
    private TlsFiles() {}

    /**
     * @param caFile          PEM file with one or more CA certificates (required)
     * @param clientCertFile  PEM certificate chain presented to the receiver, or null
     * @param clientKeyFile   PEM PKCS#8 private key of that certificate, or null
     */
    public static SSLContext context(Path caFile, Path clientCertFile, Path clientKeyFile) throws IOException {
        if (caFile == null) throw new IllegalArgumentException("TLS needs a CA file to verify the receiver's certificate");
        if ((clientCertFile == null) != (clientKeyFile == null)) {
            throw new IllegalArgumentException("a TLS client certificate needs both its certificate file and its key file");
        }
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<X509Certificate> cas = certificates(caFile);
            for (int i = 0; i < cas.size(); i++) trust.setCertificateEntry("ca-" + i, cas.get(i));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            KeyManagerFactory kmf = null;
            if (clientCertFile != null) {
                char[] none = new char[0];
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", privateKey(clientKeyFile), none,
                        certificates(clientCertFile).toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS from " + caFile + (clientCertFile == null ? "" : ", " + clientCertFile)
                    + ": " + e.getMessage(), e);
        }
    }

    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : blocks(file, "CERTIFICATE")) {
            out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
        }
        return out;
    }

    static PrivateKey privateKey(Path file) throws IOException {
        List<byte[]> ders = blocks(file, "PRIVATE KEY");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(ders.getFirst());
        for (String alg : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new IOException(file + ": not a PKCS#8 RSA, EC or EdDSA private key (convert it with `openssl pkcs8 -topk8 -nocrypt`)");
    }

    private static List<byte[]> blocks(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----", end = "-----END " + type + "-----";
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (true) {
            int b = text.indexOf(begin, at);
            if (b < 0) break;
            int e = text.indexOf(end, b);
            if (e < 0) throw new IOException(file + ": '" + begin + "' without its end line");
            out.add(Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e)));
            at = e + end.length();
        }
        if (out.isEmpty()) throw new IOException(file + ": no '" + begin + "' block");
        return out;
    }
}
