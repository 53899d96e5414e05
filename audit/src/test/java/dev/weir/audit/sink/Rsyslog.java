package dev.weir.audit.sink;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real rsyslogd on loopback, run as a child process with its own config, pid file and work
 * directory ({@code rsyslogd -n -f CONF -i PID}): one plain TCP listener and one TLS listener
 * (gtls driver, {@code x509/name} with a permitted peer). It writes every message it
 * receives, raw, to one output file. {@code scripts/rsyslog} installs it when missing.
 */
final class Rsyslog implements AutoCloseable {
    private static final Pattern SEQ = Pattern.compile(" seq=\"(\\d+)\"");

    final int tcpPort;
    final int tlsPort;
    final Path output;
    final Path log;
    private final Path dir;
    private final String binary;
    private final TestCertificates certs;
    private final TestCertificates.Pair server;
    private final String permittedPeer;
    private Process process;

    Rsyslog(Path dir, TestCertificates certs, String permittedPeer) throws Exception {
        this.dir = dir;
        this.binary = install();
        this.certs = certs;
        this.server = certs.server();
        this.permittedPeer = permittedPeer;
        this.tcpPort = freePort();
        this.tlsPort = freePort();
        this.output = dir.resolve("received.log");
        this.log = dir.resolve("rsyslogd.out");
        Files.createDirectories(dir.resolve("work"));
        start();
    }

    /** Runs {@code scripts/rsyslog} (installs Debian's rsyslog and rsyslog-gnutls if missing) and returns rsyslogd's path. */
    static String install() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("scripts/rsyslog"))) root = root.getParent();
        if (root == null) throw new IllegalStateException("scripts/rsyslog not found above " + Path.of("").toAbsolutePath());
        Process p = new ProcessBuilder("bash", root.resolve("scripts/rsyslog").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IllegalStateException("scripts/rsyslog failed");
        return out;
    }

    void start() throws Exception {
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, """
                global(workDirectory="%s" maxMessageSize="64k"
                       defaultNetstreamDriverCAFile="%s" defaultNetstreamDriverCertFile="%s"
                       defaultNetstreamDriverKeyFile="%s")
                module(load="imtcp" maxSessions="100")
                input(type="imtcp" address="127.0.0.1" port="%d" name="tcp")
                input(type="imtcp" address="127.0.0.1" port="%d" name="tls"
                      streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="x509/name"
                      permittedPeer=["%s"])
                template(name="raw" type="string" string="%%inputname%% %%rawmsg%%\\n")
                if $inputname == "tcp" or $inputname == "tls" then {
                  action(type="omfile" file="%s" template="raw" flushOnTXEnd="on" asyncWriting="off")
                  stop
                }
                *.* action(type="omfile" file="%s")
                """.formatted(dir.resolve("work"), certs.caFile, server.cert(), server.key(), tcpPort, tlsPort,
                permittedPeer, output, dir.resolve("internal.log")));
        process = new ProcessBuilder(binary, "-n", "-f", conf.toString(), "-i", dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(listening(tcpPort) && listening(tlsPort))) {
            if (!process.isAlive()) throw new IllegalStateException("rsyslogd exited: " + Files.readString(log));
            if (System.nanoTime() > until) throw new IllegalStateException("rsyslogd did not listen: " + Files.readString(log));
            Thread.sleep(50);
        }
    }

    /** Stops rsyslogd with SIGTERM (it closes its connections and flushes its output) and waits for it. */
    void stop() throws Exception {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    /** The sequence numbers received on one listener ("tcp" or "tls"), in arrival order. */
    List<Long> sequences(String input) throws IOException {
        List<Long> out = new ArrayList<>();
        if (!Files.exists(output)) return out;
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            if (!line.startsWith(input + " ")) continue;
            Matcher m = SEQ.matcher(line);
            if (m.find()) out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    String internalLog() throws IOException {
        Path p = dir.resolve("internal.log");
        return (Files.exists(p) ? Files.readString(p) : "") + Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
