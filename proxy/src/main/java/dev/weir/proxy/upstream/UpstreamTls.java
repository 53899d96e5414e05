package dev.weir.proxy.upstream;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

/**
 * TLS to an {@code https://} upstream store: the client side of the proxy's TLS. The store's
 * certificate must chain to the machine's trust store (the JDK's {@code cacerts}, which Amazon
 * DynamoDB's certificates chain to) or, when {@code upstream.ca_file} names one, to the CAs in that
 * PEM file alone, and must name the host of the endpoint (hostname verification, RFC 2818: DNS or
 * IP subject alternative names); the host goes out as SNI. TLS 1.3 and 1.2 only, through BoringSSL
 * (netty-tcnative) where it loads, else the JDK, as on the listener ({@code TlsOptions}).
 *
 * <p>There is no switch to turn verification off and no fallback to plain text: an endpoint that
 * says {@code https://} is reached over verified TLS or not at all (the request gets a 503 and its
 * audit record says why: {@link UpstreamTlsException}).
 */
public final class UpstreamTls {
    private static final Logger log = LoggerFactory.getLogger(UpstreamTls.class);

    private UpstreamTls() {}

    /** The client context for an https upstream: trusting {@code caFile}'s CAs (PEM), or the system's when it is null. */
    public static SslContext clientContext(Path caFile) throws SSLException {
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        if (provider == SslProvider.JDK) {
            log.warn("BoringSSL (netty-tcnative) is not available ({}); TLS to the upstream runs on the JDK's implementation",
                    String.valueOf(OpenSsl.unavailabilityCause()));
        }
        return clientContext(caFile, provider);
    }

    /** As {@link #clientContext(Path)} on a given provider (tests run both). */
    static SslContext clientContext(Path caFile, SslProvider provider) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                // RFC 2818 host name checks on the certificate: without this a valid certificate of
                // any other site under a trusted CA would be accepted.
                .endpointIdentificationAlgorithm("HTTPS");
        if (caFile != null) {
            if (!Files.isReadable(caFile)) throw new SSLException("upstream.ca_file " + caFile + " cannot be read");
            try {
                b.trustManager(caFile.toFile());
            } catch (IllegalArgumentException e) {
                // a CA file that is not PEM certificates: Netty says so with an IllegalArgumentException
                throw new SSLException("upstream.ca_file " + caFile + " holds no usable PEM certificate", e);
            }
        }
        return b.build();
    }

    /**
     * The same trust for the JDK's HTTP client (the trigger worker's line to the store): the CAs in
     * {@code caFile}, or null for the JDK's default context (the system's CAs). The JDK client checks
     * the host name itself.
     */
    public static SSLContext jdkContext(Path caFile) throws GeneralSecurityException, IOException {
        if (caFile == null) return null;
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int n = 0;
        try (InputStream in = Files.newInputStream(caFile)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
        }
        if (n == 0) throw new GeneralSecurityException("upstream.ca_file " + caFile + " holds no PEM certificate");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** The provider name in use, for the start-up log line. */
    public static String providerName() {
        return OpenSsl.isAvailable() ? OpenSsl.versionString() : "the JDK";
    }
}
