package dev.weir.proxy.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.file.Path;

/**
 * TLS on the listener: certificate chain and PKCS#8 key (PEM), and optionally the CA that
 * client certificates must chain to, with client authentication none, optional or require.
 * TLS 1.3 and 1.2 only, through BoringSSL (netty-tcnative) where it loads.
 */
public record TlsOptions(Path certificateChain, Path privateKey, Path clientCa, ClientAuth clientAuth) {
    private static final Logger log = LoggerFactory.getLogger(TlsOptions.class);

    public SslContext newServerContext() throws SSLException {
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        if (provider == SslProvider.JDK) {
            log.warn("BoringSSL (netty-tcnative) is not available ({}); TLS runs on the JDK's implementation",
                    String.valueOf(OpenSsl.unavailabilityCause()));
        }
        SslContextBuilder b = SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                .clientAuth(clientCa == null ? ClientAuth.NONE : clientAuth);
        if (clientCa != null) b.trustManager(clientCa.toFile());
        return b.build();
    }

    /** The provider name in use, for the start-up log line. */
    public static String providerName() {
        return OpenSsl.isAvailable() ? OpenSsl.versionString() : "the JDK";
    }
}
