package dev.weir.audit.sink;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EventFormat;
import dev.weir.audit.format.Rfc5424;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Syslog over TCP (RFC 6587) or TLS (RFC 5425) with octet-counted framing: each record goes
 * on the wire as {@code LEN SP MSG}, LEN being MSG's length in bytes, so no character in a
 * record can split or forge another.
 *
 * <p>TLS is 1.3 or 1.2 only; the receiver's certificate must chain to the configured CA and
 * name the configured server name (or the host), and a client certificate is presented when
 * one is configured. {@link #close} sends TLS close_notify.
 *
 * <p>Syslog has no acknowledgements. A failed write or flush drops the connection and throws,
 * and the pipeline's shipper reconnects with backoff and sends the batch again from its
 * committed spool offset (at least once). Before each batch the sink also checks whether the
 * receiver has closed the connection meanwhile (a restart), so a batch is not written into a
 * dead connection; what a receiver had already read from its socket but not yet stored when
 * it crashed is lost, which no ack-less protocol can prevent.
 */
public final class SyslogSink implements AuditSink {
    /**
     * @param host            receiver host name or address
     * @param port            receiver port (commonly 6514 for TLS, 514 or 601 for TCP)
     * @param tls             RFC 5425 TLS, else plain TCP
     * @param caFile          PEM CA certificates the receiver's certificate must chain to (TLS only, required)
     * @param clientCertFile  PEM client certificate chain, or null (TLS only)
     * @param clientKeyFile   its PKCS#8 PEM private key, or null
     * @param serverName      the name the receiver's certificate must carry; null means {@code host}
     * @param connectTimeout  how long a connect (and TLS handshake) may take; null means 5 s
     * @param format          the record format; null means RFC 5424 (what syslog receivers parse)
     */
    public record Options(String host, int port, boolean tls, Path caFile, Path clientCertFile, Path clientKeyFile,
                          String serverName, Duration connectTimeout, EventFormat format) {
        public Options {
            if (host == null || host.isBlank()) throw new IllegalArgumentException("syslog sink: host is required");
            if (port <= 0 || port > 65535) throw new IllegalArgumentException("syslog sink: bad port " + port);
            if (tls && caFile == null) throw new IllegalArgumentException("syslog sink: TLS needs ca_file");
            if (!tls && (caFile != null || clientCertFile != null)) {
                throw new IllegalArgumentException("syslog sink: certificate files given but tls is off");
            }
            if ((clientCertFile == null) != (clientKeyFile == null)) {
                throw new IllegalArgumentException("syslog sink: a client certificate needs both client_cert and client_key");
            }
            if (connectTimeout == null) connectTimeout = Duration.ofSeconds(5);
            if (format == null) format = new Rfc5424();
        }

        public static Options tcp(String host, int port) {
            return new Options(host, port, false, null, null, null, null, null, null);
        }

        public static Options tls(String host, int port, Path caFile, Path clientCertFile, Path clientKeyFile) {
            return new Options(host, port, true, caFile, clientCertFile, clientKeyFile, null, null, null);
        }
    }

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** How long to watch a new TLS connection for the receiver refusing our certificate. */
    private static final int ACCEPT_WAIT_MS = 200;

    private final Options options;
    private final SSLContext tls;
    private Socket socket;
    private OutputStream out;
    private boolean batchOpen;

    public SyslogSink(Options options) throws IOException {
        this.options = options;
        this.tls = options.tls() ? TlsFiles.context(options.caFile(), options.clientCertFile(), options.clientKeyFile()) : null;
    }

    @Override
    public void write(AuditEvent event) throws IOException {
        if (!batchOpen) {
            if (socket != null && peerClosed()) disconnect();
            if (socket == null) connect();
            batchOpen = true;
        }
        byte[] msg = options.format().encode(event);
        try {
            out.write(Integer.toString(msg.length).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.write(msg);
        } catch (IOException e) {
            disconnect();
            throw e;
        }
    }

    @Override
    public void flush() throws IOException {
        batchOpen = false;
        if (out == null) return;
        try {
            out.flush();
        } catch (IOException e) {
            disconnect();
            throw e;
        }
    }

    /**
     * Flushes and closes. Over TLS it sends close_notify, waits up to a second for the
     * receiver's close_notify, and only then closes the socket: closing a TLS 1.3 socket
     * whose peer has not closed yet makes the JDK send user_canceled first, which GnuTLS
     * (rsyslog) reports as a fatal alert.
     */
    @Override
    public void close() throws IOException {
        if (socket == null) return;
        try {
            out.flush();
            if (socket instanceof SSLSocket ssl) {
                ssl.shutdownOutput();
                closedWithin(ssl, 1000);
            }
        } finally {
            disconnect();
        }
    }

    /** True while connected (for tests and diagnostics). */
    public boolean connected() {
        return socket != null;
    }

    private void connect() throws IOException {
        Socket plain = new Socket();
        try {
            int timeout = (int) options.connectTimeout().toMillis();
            plain.connect(new InetSocketAddress(options.host(), options.port()), timeout);
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            Socket s = plain;
            if (tls != null) {
                String name = options.serverName() == null ? options.host() : options.serverName();
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, name, options.port(), true);
                SSLParameters params = ssl.getSSLParameters();
                params.setProtocols(PROTOCOLS);
                params.setEndpointIdentificationAlgorithm("HTTPS");  // the certificate must name the receiver
                ssl.setSSLParameters(params);
                ssl.setSoTimeout(timeout);
                ssl.startHandshake();
                // In TLS 1.3 the receiver checks our certificate (and its permitted-peer list) only
                // after our side of the handshake is done; if it refuses us it closes at once.
                // Wait briefly for that, or the first batch would vanish into a refused connection.
                if (closedWithin(ssl, ACCEPT_WAIT_MS)) {
                    throw new IOException("the receiver closed the connection right after the TLS handshake "
                            + "(does it permit this client certificate?)");
                }
                s = ssl;
            }
            socket = s;
            out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        } catch (IOException e) {
            plain.close();
            throw new IOException("syslog " + (tls != null ? "TLS " : "TCP ") + options.host() + ":" + options.port()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * A syslog receiver never writes to us, so a readable end of stream (or an error) means it
     * closed the connection; a read that times out means the connection is still open.
     */
    private boolean peerClosed() {
        return closedWithin(socket, 1);
    }

    private static boolean closedWithin(Socket socket, int millis) {
        try {
            socket.setSoTimeout(millis);
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException alive) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void disconnect() {
        Socket s = socket;
        socket = null;
        out = null;
        batchOpen = false;
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }
}
