package dev.weir.audit.sink;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.pipeline.AuditPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sinks built from configuration maps (as YAML gives them), and the errors for bad ones. */
class SinkConfigTest {
    static String error(Map<String, ?> spec, Path base) {
        return assertThrows(IllegalArgumentException.class, () -> SinkConfig.create(spec, base)).getMessage();
    }

    @Test
    void eachTypeIsBuiltFromPlainValues(@TempDir Path base) throws Exception {
        TestCertificates certs = new TestCertificates(base.resolve("certs"));
        TestCertificates.Pair client = certs.client("weir-client");
        Files.writeString(base.resolve("hec.token"), "file-token\n");

        AuditPipeline.NamedSink file = SinkConfig.create(Map.of("name", "trail", "type", "file", "dir", "audit/trail",
                "format", "cef", "max_file_bytes", 1_000_000, "digest_interval_s", 30), base);
        assertInstanceOf(dev.weir.audit.chain.ChainedFileSink.class, file.sink());
        file.sink().write(AuditEvent.builder().sequence(1).instance("w").operation("GetItem").decision("ALLOWED").build());
        file.sink().close();
        assertTrue(Files.readString(base.resolve("audit/trail/audit-000001.log")).startsWith("CEF:0|"), "relative dir, cef");

        AuditPipeline.NamedSink syslog = SinkConfig.create(Map.of("name", "siem", "type", "syslog", "host", "localhost",
                "port", 6514, "tls", true, "ca_file", "certs/ca.pem", "client_cert", base.relativize(client.cert()).toString(),
                "client_key", base.relativize(client.key()).toString()), base);
        assertEquals("siem", syslog.name());
        assertInstanceOf(SyslogSink.class, syslog.sink());

        AuditPipeline.NamedSink kafka = SinkConfig.create(Map.of("name", "k", "type", "kafka", "bootstrap_servers",
                "127.0.0.1:9092", "topic", "weir-audit", "producer", Map.of("compression.type", "zstd", "linger.ms", 20)), base);
        Map<String, Object> pc = ((KafkaSink) kafka.sink()).producerConfig();
        assertEquals("zstd", pc.get("compression.type"));
        assertEquals("20", pc.get("linger.ms"));
        assertEquals("all", pc.get("acks"));

        try (HecReceiver hec = new HecReceiver("file-token")) {
            AuditPipeline.NamedSink splunk = SinkConfig.create(Map.of("name", "splunk", "type", "hec",
                    "url", hec.url().toString(), "token_file", "hec.token", "max_events", "50"), base);
            splunk.sink().write(AuditEvent.builder().sequence(7).instance("w").operation("Scan").decision("ALLOWED").build());
            splunk.sink().close();
            assertEquals(List.of(7L), hec.sequences(), "the token from token_file, trimmed, was accepted");
        }
    }

    @Test
    void badEntriesAreRefusedNamingTheSinkAndTheKey(@TempDir Path base) {
        assertEquals("audit sink without a name", error(Map.of("type", "file"), base));
        assertTrue(error(Map.of("name", "x", "type", "ftp"), base).contains("type must be one of [file, hec, kafka, syslog]"));
        String unknown = error(Map.of("name", "x", "type", "syslog", "host", "h", "port", 1, "hots", "h"), base);
        assertTrue(unknown.contains("audit sink 'x': unknown setting 'hots' for type syslog"), unknown);
        assertTrue(error(Map.of("name", "x", "type", "syslog", "port", 514), base).contains("'x': host is required"));
        assertTrue(error(Map.of("name", "x", "type", "syslog", "host", "h", "port", "five"), base).contains("port must be a whole number"));
        assertTrue(error(Map.of("name", "x", "type", "syslog", "host", "h", "port", 6514, "tls", true), base)
                .contains("audit sink 'x': syslog sink: TLS needs ca_file"));
        assertTrue(error(Map.of("name", "x", "type", "kafka", "bootstrap_servers", "b:1", "topic", "t",
                "producer", Map.of("acks", "1")), base).contains("'acks' is fixed by weir"));
        assertTrue(error(Map.of("name", "x", "type", "file", "dir", "d", "format", "xml"), base).contains("format must be one of"));
        String both = error(Map.of("name", "x", "type", "hec", "url", "http://h:8088", "token", "s3cr3t-value",
                "token_file", "t"), base);
        assertTrue(both.contains("exactly one of token and token_file"), both);
        String badUrl = error(Map.of("name", "x", "type", "hec", "url", "ftp://h", "token", "s3cr3t-value"), base);
        assertTrue(badUrl.contains("url must be http:// or https://"), badUrl);
        assertFalse(badUrl.contains("s3cr3t-value") || both.contains("s3cr3t-value"));
    }
}
