package dev.weir.audit.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.event.EventCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every format, written and read back by a strict parser of that format, with every awkward character. */
class FormatRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every character a format has to escape somewhere, plus non-ASCII. */
    static final String NASTY = "a|b\\c=d\"e]f[g h\ni\rj\tk\u0001l é€😀";
    /** What formats without an escape for control characters make of it. */
    static final String NASTY_NO_CONTROLS = "a|b\\c=d\"e]f[g h\uFFFDi\uFFFDj\uFFFDk\uFFFDl é€😀";

    static AuditEvent nasty() {
        return AuditEvent.builder().sequence(42).instance("weir-1").timeMicros(1_700_000_000_123_456L)
                .principal(NASTY).roles(List.of("analyst", NASTY)).accessKeyId("AKIA=1")
                .source("10.0.0.7", 50123).operation("GetItem").table(NASTY).index("by-city")
                .decision("ALLOWED").ruleIds(List.of("people-read", "r=2")).policyHash("sha256:ab|cd")
                .maskedFields(List.of("ssn", NASTY)).removedFields(List.of("salary")).status(200)
                .errorType(null).latencyMicros(321).tlsSubject("CN=client,O=weir \\ co")
                .itemKeys(List.of("{\"id\":\"1\"}")).readPaths(List.of("name")).writtenPaths(List.of())
                .rowsDropped(2).itemsReturned(3).upstreamStatus(200).decideMicros(12).note(NASTY)
                .requestId("7f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5").phase(AuditEvent.OUTCOME).build();
    }

    private static String line(EventFormat f, AuditEvent e) {
        String s = new String(f.encode(e), StandardCharsets.UTF_8);
        assertFalse(s.contains("\n") || s.contains("\r"), f.name() + " record spans lines: " + s);
        return s;
    }

    @Test
    void spoolCodecIsExact() throws Exception {
        AuditEvent e = nasty();
        assertEquals(e, EventCodec.decode(EventCodec.encode(e)));
        AuditEvent old = new AuditEvent(1, "i", 2, null, null, null, "::1", 3, null, null, "ALLOWED", null, null,
                null, null, 200, null, 4);
        assertEquals(old, EventCodec.decode(EventCodec.encode(old)));
    }

    @Test
    void ecsJsonIsExact() throws Exception {
        JsonNode n = JSON.readTree(line(new EcsJsonLines(), nasty()));
        assertEquals("2023-11-14T22:13:20.123456Z", n.get("@timestamp").asText());
        assertEquals(NASTY, n.get("user.name").asText());
        assertEquals(NASTY, n.get("weir.table").asText());
        assertEquals(NASTY, n.get("user.roles").get(1).asText());
        assertEquals(NASTY, n.get("weir.fields.masked").get(1).asText());
        assertEquals(NASTY, n.get("message").asText());
        assertEquals("weir-1:42", n.get("event.id").asText());
        assertEquals(42, n.get("event.sequence").asLong());
        assertEquals("CN=client,O=weir \\ co", n.get("tls.client.subject").asText());
        assertEquals(3, n.get("weir.items.returned").asInt());
        assertTrue(n.get("error.type").isNull());
        assertEquals("7f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5", n.get("http.request.id").asText());
        assertEquals("outcome", n.get("weir.phase").asText());
        assertEquals("success", n.get("event.outcome").asText());
        assertEquals("GetItem", n.get("event.action").asText());
    }

    /**
     * The outcome every format states: a decision record (the request is about to be forwarded)
     * is neither success nor failure; a refused reload or any refusal is a failure, whatever its
     * status; a request without an operation still has an action.
     */
    @Test
    void everyFormatStatesTheOutcomeAndAnAction() throws Exception {
        AuditEvent decision = nasty().toBuilder().phase(AuditEvent.DECISION).status(0).upstreamStatus(0).build();
        AuditEvent refusedReload = AuditEvent.builder().sequence(7).instance("weir-1").operation("weir:PolicyReload")
                .decision("REFUSED").status(0).note("p.weir:3:5: error: unknown field").build();
        AuditEvent unidentified = AuditEvent.builder().sequence(8).instance("weir-1").decision("UNAUTHENTICATED").status(400)
                .requestId("r-1").phase(AuditEvent.COMPLETE).build();

        assertEquals("unknown", JSON.readTree(line(new EcsJsonLines(), decision)).get("event.outcome").asText());
        assertEquals("failure", JSON.readTree(line(new EcsJsonLines(), refusedReload)).get("event.outcome").asText());
        JsonNode ecsUnidentified = JSON.readTree(line(new EcsJsonLines(), unidentified));
        assertEquals("unknown", ecsUnidentified.get("event.action").asText());
        assertEquals("failure", ecsUnidentified.get("event.outcome").asText());
        assertEquals("r-1", ecsUnidentified.get("http.request.id").asText());

        JsonNode ocsfDecision = JSON.readTree(line(new OcsfJson(), decision));
        assertEquals("Unknown", ocsfDecision.get("status").asText());
        assertEquals(0, ocsfDecision.get("status_id").asInt());
        assertEquals("decision", ocsfDecision.at("/unmapped/phase").asText());
        assertEquals("7f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5", ocsfDecision.at("/metadata/correlation_uid").asText());
        assertEquals("7f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5", ocsfDecision.at("/api/request/uid").asText());
        assertEquals("Failure", JSON.readTree(line(new OcsfJson(), refusedReload)).get("status").asText());
        assertEquals("unknown", JSON.readTree(line(new OcsfJson(), unidentified)).at("/api/operation").asText());

        Map<String, String> cef = StrictParsers.cef(line(new Cef(), decision)).ext();
        assertEquals("unknown", cef.get("outcome"));
        assertEquals("requestId", cef.get("flexString1Label"));
        assertEquals("7f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5", cef.get("flexString1"));
        assertEquals("decision", cef.get("flexString2"));
        assertEquals("failure", StrictParsers.cef(line(new Cef(), refusedReload)).ext().get("outcome"));
        assertEquals("unknown", StrictParsers.cef(line(new Cef(), unidentified)).header().get(4));

        Map<String, String> leef = StrictParsers.leef(line(new Leef(), decision)).attrs();
        assertEquals("unknown", leef.get("outcome"));
        assertEquals("decision", leef.get("phase"));
        assertEquals("7f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5", leef.get("requestId"));
        assertEquals("{\"id\":\"1\"}", leef.get("keys"));
        assertEquals("name", leef.get("readFields"));
        assertEquals("failure", StrictParsers.leef(line(new Leef(), refusedReload)).attrs().get("outcome"));

        Map<String, String> sd = StrictParsers.syslog(line(new Rfc5424(), decision)).sd().get("weir@32473");
        assertEquals("unknown", sd.get("outcome"));
        assertEquals("decision", sd.get("phase"));
        assertEquals("7f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5", sd.get("requestId"));
        assertEquals("{\"id\":\"1\"}", sd.get("keys"));
        assertEquals("failure", StrictParsers.syslog(line(new Rfc5424(), refusedReload)).sd().get("weir@32473").get("outcome"));
        StrictParsers.Syslog unknownOp = StrictParsers.syslog(line(new Rfc5424(), unidentified));
        assertEquals("unknown", unknownOp.msgId());
        assertEquals("r-1", unknownOp.sd().get("weir@32473").get("requestId"));

        String readable = Readable.line(line(new EcsJsonLines(), decision));
        assertTrue(readable.contains("phase=decision") && readable.contains("request=7f0c1d2e"), readable);
    }

    @Test
    void ocsfCarriesTheRequiredDatastoreActivityFields() throws Exception {
        JsonNode n = JSON.readTree(line(new OcsfJson(), nasty()));
        for (String required : List.of("activity_id", "category_uid", "class_uid", "severity_id", "time", "type_uid",
                "metadata", "actor", "src_endpoint", "database", "table", "status", "status_id"))
            assertTrue(n.hasNonNull(required), required);
        assertEquals(6005, n.get("class_uid").asInt());
        assertEquals(6, n.get("category_uid").asInt());
        assertEquals(1, n.get("activity_id").asInt());
        assertEquals(600501, n.get("type_uid").asLong());
        assertEquals(1, n.get("severity_id").asInt());
        assertEquals(1_700_000_000_123L, n.get("time").asLong());
        assertEquals("weir", n.at("/metadata/product/name").asText());
        assertEquals(OcsfJson.OCSF_VERSION, n.at("/metadata/version").asText());
        assertEquals(NASTY, n.at("/actor/user/name").asText());
        assertEquals("10.0.0.7", n.at("/src_endpoint/ip").asText());
        assertEquals(50123, n.at("/src_endpoint/port").asInt());
        assertEquals(NASTY, n.at("/table/name").asText());
        assertEquals("Success", n.get("status").asText());
        assertEquals("people-read", n.at("/policies/0/uid").asText());

        JsonNode denied = JSON.readTree(line(new OcsfJson(), nasty().toBuilder().operation("PutItem")
                .decision("FORBIDDEN").status(400).errorType("AccessDeniedException").build()));
        assertEquals(600505, denied.get("type_uid").asLong());
        assertEquals(3, denied.get("severity_id").asInt());
        assertEquals("Failure", denied.get("status").asText());
        assertEquals(2, denied.get("disposition_id").asInt());
    }

    @Test
    void cefEscapesHeaderAndExtension() {
        AuditEvent e = nasty().toBuilder().operation("Get|It\\em").build();
        StrictParsers.Cef c = StrictParsers.cef(line(new Cef(), e));
        assertEquals(List.of("0", "weir", "weir", "0.1.0", "Get|It\\em", "Get|It\\em ALLOWED", "3"), c.header());
        Map<String, String> x = c.ext();
        // CEF escapes CR and LF in extension values; other control characters have no escape.
        String expected = NASTY.replace("\t", "\uFFFD").replace("\u0001", "\uFFFD");
        assertEquals(expected, x.get("suser"));
        assertEquals(expected, x.get("cs1"));
        assertEquals(expected, x.get("msg"));
        assertEquals("AKIA=1", x.get("suid"));
        assertEquals("people-read,r=2", x.get("cs2"));
        assertEquals("1700000000123", x.get("rt"));
        assertEquals("42", x.get("externalId"));
        assertEquals("10.0.0.7", x.get("src"));
        assertEquals("50123", x.get("spt"));
        assertEquals("sha256:ab|cd", x.get("cs3"));
        assertEquals("CN=client,O=weir \\ co", x.get("duser"));
        assertNull(x.get("reason"));

        StrictParsers.Cef header = StrictParsers.cef(line(new Cef(), e.toBuilder().operation("a\nb").build()));
        assertEquals("a\uFFFDb", header.header().get(4));
    }

    @Test
    void leefUsesItsDeclaredDelimiter() {
        StrictParsers.Leef l = StrictParsers.leef(line(new Leef(), nasty().toBuilder().operation("Get|Item").build()));
        assertEquals(List.of("weir", "weir", "0.1.0", "Get|Item"), l.header());
        assertEquals('\t', l.delimiter());
        Map<String, String> a = l.attrs();
        assertEquals(NASTY_NO_CONTROLS, a.get("usrName"));
        assertEquals(NASTY_NO_CONTROLS, a.get("resource"));
        assertEquals(NASTY_NO_CONTROLS, a.get("msg"));
        assertEquals("AKIA=1", a.get("accountName"));
        assertEquals("1700000000123", a.get("devTime"));
        assertEquals("ALLOWED", a.get("cat"));
        assertEquals("42", a.get("sequence"));
        assertEquals("50123", a.get("srcPort"));
    }

    @Test
    void syslogEscapesParamValues() {
        StrictParsers.Syslog s = StrictParsers.syslog(line(new Rfc5424(), nasty()));
        assertEquals(13 * 8 + 6, s.pri());
        assertEquals(1, s.version());
        assertEquals("2023-11-14T22:13:20.123456Z", s.timestamp());
        assertEquals("weir-1", s.host());
        assertEquals("weir", s.app());
        assertEquals("GetItem", s.msgId());
        Map<String, String> p = s.sd().get("weir@32473");
        assertEquals(NASTY_NO_CONTROLS, p.get("principal"));
        assertEquals(NASTY_NO_CONTROLS, p.get("table"));
        assertEquals(NASTY_NO_CONTROLS, p.get("note"));
        assertEquals("ssn," + NASTY_NO_CONTROLS, p.get("masked"));
        assertEquals("CN=client,O=weir \\ co", p.get("tlsSubject"));
        assertEquals("42", p.get("seq"));
        assertEquals("ALLOWED", p.get("decision"));
        assertTrue(s.msg().contains("GetItem"));

        StrictParsers.Syslog denied = StrictParsers.syslog(line(new Rfc5424(),
                nasty().toBuilder().instance("host with space").operation(null).decision("FORBIDDEN").build()));
        assertEquals(13 * 8 + 5, denied.pri());
        assertEquals("host_with_space", denied.host());
        assertEquals("unknown", denied.msgId());
    }

    @Test
    void everyFormatHandlesAnEmptyEvent() {
        AuditEvent empty = AuditEvent.builder().build();
        for (String name : EventFormats.NAMES) {
            String s = line(EventFormats.byName(name), empty);
            assertFalse(s.isEmpty(), name);
        }
        StrictParsers.cef(line(new Cef(), empty));
        StrictParsers.leef(line(new Leef(), empty));
        StrictParsers.syslog(line(new Rfc5424(), empty));
    }
}
