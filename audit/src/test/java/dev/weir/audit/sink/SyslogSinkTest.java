package dev.weir.audit.sink;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.pipeline.AuditCounters;
import dev.weir.audit.pipeline.AuditPipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The syslog sink against a real rsyslogd (Debian's rsyslog with the gnutls driver, installed by
 * {@code scripts/rsyslog}) on loopback: plain TCP and RFC 5425 TLS with a permitted-peer check.
 */
class SyslogSinkTest {
    static final String PERMITTED = "weir-client";

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestCertificates.Pair client;
    static Rsyslog rsyslog;

    @BeforeAll
    static void startRsyslog() throws Exception {
        certs = new TestCertificates(dir.resolve("certs"));
        client = certs.client(PERMITTED);
        rsyslog = new Rsyslog(dir.resolve("rsyslog"), certs, PERMITTED);
    }

    @AfterAll
    static void stopRsyslog() throws Exception {
        if (rsyslog != null) rsyslog.close();
    }

    static AuditEvent event(long seq, String principal) {
        return AuditEvent.builder().sequence(seq).instance("weir-test").timeMicros(1_700_000_000_000_000L + seq)
                .principal(principal).roles(List.of("reader")).source("127.0.0.1", 40000)
                .operation("GetItem").table("orders").decision("ALLOWED").status(200).build();
    }

    static List<Long> range(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (long i = from; i <= to; i++) l.add(i);
        return l;
    }

    static void await(BooleanSupplier cond, String what) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("timed out waiting for " + what + "\n" + rsyslog.internalLog());
            Thread.sleep(20);
        }
    }

    static BooleanSupplier received(String input, int count) {
        return () -> {
            try {
                return rsyslog.sequences(input).stream().filter(n -> n <= 1000).count() >= count;
            } catch (IOException e) {
                return false;
            }
        };
    }

    /** Writes events {@code from..to} in batches of 100 (each followed by a flush), as a shipper does. */
    static void ship(SyslogSink sink, long from, long to, String principal) throws IOException {
        for (long s = from; s <= to; s++) {
            sink.write(event(s, principal));
            if (s % 100 == 0) sink.flush();
        }
        sink.flush();
    }

    @Test
    void tcpDeliversEveryEventOctetCounted() throws Exception {
        try (SyslogSink sink = new SyslogSink(SyslogSink.Options.tcp("127.0.0.1", rsyslog.tcpPort))) {
            // The principal carries what would split a newline-framed record, and SD-PARAM specials.
            ship(sink, 1, 1000, "alice\nbob \"x\" ] \\ 🙂");
        }
        await(received("tcp", 1000), "1000 events over TCP");
        assertEquals(range(1, 1000), rsyslog.sequences("tcp"));
        String line = Files.readAllLines(rsyslog.output).stream().filter(l -> l.startsWith("tcp ")).findFirst().orElseThrow();
        assertTrue(line.contains("principal=\"alice\uFFFDbob \\\"x\\\" \\] \\\\ 🙂\""), line);
        assertTrue(line.startsWith("tcp <110>1 "), line);  // facility 13 (log audit), severity 6
    }

    @Test
    void tlsDeliversEveryEventWithAPermittedClientCertificate() throws Exception {
        SyslogSink.Options o = SyslogSink.Options.tls("localhost", rsyslog.tlsPort, certs.caFile, client.cert(), client.key());
        Thread.sleep(300);  // let rsyslog log whatever earlier tests caused
        long errorsBefore = tlsErrors();
        long linesBefore = rsyslog.internalLog().lines().count();
        try (SyslogSink sink = new SyslogSink(o)) {
            ship(sink, 1, 1000, "carol");
            assertTrue(sink.connected());
        }
        await(received("tls", 1000), "1000 events over TLS");
        assertEquals(range(1, 1000), rsyslog.sequences("tls").stream().filter(n -> n <= 1000).toList());
        // close() sent close_notify: rsyslog logs no "non-properly terminated" (or other TLS error) for our connection.
        Thread.sleep(300);
        assertEquals(errorsBefore, tlsErrors(), () -> {
            try {
                return rsyslog.internalLog().lines().skip(linesBefore).collect(java.util.stream.Collectors.joining("\n"));
            } catch (IOException e) {
                return e.toString();
            }
        });
    }

    static long tlsErrors() throws IOException {
        return rsyslog.internalLog().lines().filter(l -> l.contains("GnuTLS") || l.contains("gnutls")).count();
    }

    @Test
    void aPeerThatIsNotPermittedIsRefused() throws Exception {
        TestCertificates.Pair intruder = certs.client("intruder");
        SyslogSink.Options o = SyslogSink.Options.tls("localhost", rsyslog.tlsPort, certs.caFile, intruder.cert(), intruder.key());
        IOException refused = null;
        try (SyslogSink sink = new SyslogSink(o)) {
            for (long s = 1_000_001; s < 1_000_050 && refused == null; s++) {
                try {
                    sink.write(event(s, "intruder"));
                    sink.flush();
                    Thread.sleep(50);
                } catch (IOException e) {
                    refused = e;
                }
            }
        }
        assertTrue(refused != null, "rsyslog never dropped the intruder's connection");
        assertTrue(refused.getMessage().contains("permit"), refused.getMessage());
        // The permitted client's marker arrives after the intruder's attempts; none of the intruder's events did.
        try (SyslogSink sink = new SyslogSink(SyslogSink.Options.tls("localhost", rsyslog.tlsPort, certs.caFile,
                client.cert(), client.key()))) {
            sink.write(event(2_000_000, "marker"));
            sink.flush();
        }
        await(() -> {
            try {
                return rsyslog.sequences("tls").contains(2_000_000L);
            } catch (IOException e) {
                return false;
            }
        }, "the permitted client's marker");
        assertTrue(rsyslog.sequences("tls").stream().noneMatch(s -> s > 1_000_000 && s < 2_000_000), "an intruder event got through");
        assertTrue(rsyslog.internalLog().contains("intruder"), "rsyslog names the refused peer:\n" + rsyslog.internalLog());
    }

    @Test
    void aReceiverWhoseCertificateTheCaDidNotSignIsRefusedBySink() throws Exception {
        TestCertificates other = new TestCertificates(dir.resolve("other-ca"));
        SyslogSink.Options o = SyslogSink.Options.tls("localhost", rsyslog.tlsPort, other.caFile, client.cert(), client.key());
        try (SyslogSink sink = new SyslogSink(o)) {
            IOException e = assertThrows(IOException.class, () -> sink.write(event(1, "x")));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
        }
        // ... and one whose certificate does not carry the configured server name.
        SyslogSink.Options wrongName = new SyslogSink.Options("127.0.0.1", rsyslog.tlsPort, true, certs.caFile,
                client.cert(), client.key(), "siem.example.org", null, null);
        try (SyslogSink sink = new SyslogSink(wrongName)) {
            IOException e = assertThrows(IOException.class, () -> sink.write(event(1, "x")));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
        }
    }

    @Test
    void badOptionsAreRefusedWithAClearMessage() {
        assertThrows(IllegalArgumentException.class, () -> new SyslogSink.Options("h", 6514, true, null, null, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> SyslogSink.Options.tcp("h", 0));
        assertThrows(IllegalArgumentException.class, () -> SyslogSink.Options.tls("h", 6514, certs.caFile, client.cert(), null));
    }

    /**
     * Through the spooled pipeline: rsyslog goes away for a while and comes back on the same
     * port; the syslog sink receives every event (at least once), and a healthy sink beside it
     * is never held up.
     */
    @Test
    void aReceiverThatGoesAwayAndComesBackGetsEverythingAndDoesNotBlockTheOtherSink(@TempDir Path spool) throws Exception {
        List<Long> seen = new ArrayList<>();
        AuditSink healthy = new AuditSink() {
            final List<Long> batch = new ArrayList<>();
            public void write(AuditEvent e) { batch.add(e.sequence()); }
            public void flush() { synchronized (seen) { seen.addAll(batch); } batch.clear(); }
            public void close() {}
        };
        // A separate rsyslog so the other tests' counts are not disturbed.
        try (Rsyslog own = new Rsyslog(dir.resolve("rsyslog-outage"), certs, PERMITTED)) {
            AuditPipeline p = AuditPipeline.spooled(AuditPipeline.Options.defaults("weir-test", spool), List.of(
                    new AuditPipeline.NamedSink("siem", new SyslogSink(SyslogSink.Options.tls("localhost", own.tlsPort,
                            certs.caFile, client.cert(), client.key()))),
                    new AuditPipeline.NamedSink("local", healthy)));
            for (int i = 0; i < 500; i++) p.publish(event(0, "before"));
            awaitOn(own, 500);
            own.stop();
            for (int i = 0; i < 500; i++) p.publish(event(0, "during"));
            await(() -> { synchronized (seen) { return seen.size() == 1000; } }, "the healthy sink during the outage");
            await(() -> p.counters().sinks().getFirst().retried() > 0 && p.counters().sinks().getFirst().lastError() != null,
                    "the syslog sink's failed attempt");
            AuditCounters.Sink down = p.counters().sinks().getFirst();
            assertTrue(down.lag() > 0 && down.lastError() != null, down.toString());
            own.start();
            for (int i = 0; i < 500; i++) p.publish(event(0, "after"));
            p.close();
            awaitOn(own, 1500);
            assertEquals(range(1, 1500), new ArrayList<>(new TreeSet<>(own.sequences("tls"))), "every sequence number, no gap");
            AuditCounters.Sink after = p.counters().sinks().getFirst();
            assertEquals(0, after.lag());
            assertEquals(null, after.lastError());
        }
    }

    private static void awaitOn(Rsyslog r, int distinct) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (new TreeSet<>(r.sequences("tls")).size() < distinct) {
            if (System.nanoTime() > until) {
                throw new AssertionError("rsyslog got " + new TreeSet<>(r.sequences("tls")).size() + " of " + distinct
                        + "\n" + r.internalLog());
            }
            Thread.sleep(20);
        }
    }
}
