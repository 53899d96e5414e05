package dev.weir.audit.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.event.AuditEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link JsonBytes} and the ECS and OCSF formats written with it give exactly the bytes Jackson's generator
 * gave: every string a seeded generator makes (ASCII, every control character, the quote and
 * the backslash, two- and three-byte characters, surrogate pairs), every number's edge, nulls,
 * empty and long lists; and a lone surrogate as an escape that reads back as the same string.
 */
class JsonBytesTest {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] NAME = JsonBytes.name("a.b");
    /** Names the formats classify (an activity, an action) besides random text. */
    private static final String[] OPERATIONS = {"GetItem", "PutItem", "Query", "Scan", "UpdateItem", "DeleteItem",
            "BatchGetItem", "TransactWriteItems", "CreateTable", "DescribeTable", "GetRecords", "weir:Reload"};
    private static final String[] DECISIONS = {"ALLOWED", "DENIED", "DROPPED", "UNAUTHENTICATED", "REFUSED"};

    /** A string of up to {@code max} characters drawn from every class a JSON writer treats apart. */
    static String text(SplittableRandom r, int max) {
        if (r.nextInt(20) == 0) return null;
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(8)) {
                case 0 -> b.append((char) r.nextInt(0x20));                 // control characters
                case 1 -> b.append("\"\\/'\u007f".charAt(r.nextInt(5)));      // quote, backslash and neighbours
                case 2 -> b.append((char) (0x80 + r.nextInt(0x800 - 0x80)));  // two bytes
                case 3 -> {
                    char c = (char) (0x800 + r.nextInt(0x10000 - 0x800));      // three bytes, no surrogate
                    b.append(Character.isSurrogate(c) ? '\u20ac' : c);
                }
                case 4 -> b.appendCodePoint(0x10000 + r.nextInt(0x100000));    // a surrogate pair
                default -> b.append((char) (0x20 + r.nextInt(0x5f)));         // printable ASCII
            }
        }
        return b.toString();
    }

    static List<String> texts(SplittableRandom r) {
        List<String> l = new ArrayList<>();
        int n = r.nextInt(4) == 0 ? r.nextInt(40) : r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String s = text(r, 30);
            l.add(s == null ? "" : s);
        }
        return l;
    }

    static long number(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> Long.MIN_VALUE + r.nextInt(3);
            case 1 -> Long.MAX_VALUE - r.nextInt(3);
            case 2 -> 0;
            case 3 -> r.nextInt(2_000_001) - 1_000_000;
            case 4 -> {
                long p = 1;
                for (int k = r.nextInt(19); k > 0; k--) p *= 10;
                yield r.nextBoolean() ? p : p - 1;
            }
            default -> r.nextLong();
        };
    }

    static AuditEvent event(SplittableRandom r) {
        return AuditEvent.builder().sequence(Math.abs(number(r) % 1_000_000_000)).instance(text(r, 12))
                .timeMicros(1_700_000_000_000_000L + r.nextLong(1_000_000_000_000L))
                .principal(text(r, 20)).roles(texts(r)).accessKeyId(text(r, 20))
                .source(text(r, 15), r.nextInt(65536)).operation(r.nextBoolean() ? OPERATIONS[r.nextInt(OPERATIONS.length)] : text(r, 12)).table(text(r, 20))
                .index(text(r, 10)).decision(r.nextBoolean() ? DECISIONS[r.nextInt(DECISIONS.length)] : text(r, 8)).ruleIds(texts(r))
                .policyHash(text(r, 20)).maskedFields(texts(r)).removedFields(texts(r))
                .status(r.nextInt(600)).errorType(text(r, 10)).latencyMicros(r.nextLong(10_000_000))
                .tlsSubject(text(r, 20)).itemKeys(texts(r)).readPaths(texts(r)).writtenPaths(texts(r))
                .rowsDropped(r.nextInt(3) == 0 ? r.nextInt(1000) : 0).itemsReturned(r.nextInt(3) == 0 ? r.nextInt(1000) : 0)
                .upstreamStatus(r.nextInt(3) == 0 ? 0 : 200).decideMicros(r.nextInt(3) == 0 ? 0 : r.nextInt(10_000))
                .note(text(r, 200)).requestId(text(r, 36))
                .phase(r.nextBoolean() ? null : r.nextBoolean() ? AuditEvent.DECISION : AuditEvent.OUTCOME)
                .lostSequences(r.nextInt(10) == 0 ? texts(r) : List.of()).build();
    }

    @Test
    void ecsRecordsAreJacksonsBytes() throws Exception {
        SplittableRandom r = new SplittableRandom(16);
        EcsJsonLines ecs = new EcsJsonLines();
        for (int i = 0; i < 20_000; i++) {
            AuditEvent e = event(r);
            byte[] expected = JacksonEcs.encode(e);
            same(expected, ecs.encode(e));
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ecs.write(e, line);
            byte[] withNewline = Arrays.copyOf(expected, expected.length + 1);
            withNewline[expected.length] = '\n';
            assertArrayEquals(withNewline, line.toByteArray());
        }
    }

    /** An event formatted again gives the same bytes in a new array; changing one copy changes no other. */
    @Test
    void anEventFormattedAgainIsMadeOnceAndHandedOutAsCopies() throws Exception {
        EcsJsonLines ecs = new EcsJsonLines();
        AuditEvent e = event(new SplittableRandom(5));
        byte[] first = ecs.encode(e);
        byte[] expected = first.clone();
        Arrays.fill(first, (byte) 'x');
        byte[] second = ecs.encode(e);
        assertArrayEquals(expected, second);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ecs.write(e, line);
        assertArrayEquals(expected, Arrays.copyOf(line.toByteArray(), expected.length));
        AuditEvent equal = new AuditEvent(e.sequence(), e.instance(), e.timeMicros(), e.principal(), e.roles(), e.accessKeyId(),
                e.sourceAddress(), e.sourcePort(), e.operation(), e.table(), e.decision(), e.ruleIds(), e.policyHash(),
                e.maskedFields(), e.removedFields(), e.status(), e.errorType(), e.latencyMicros(), e.tlsSubject(), e.index(),
                e.itemKeys(), e.readPaths(), e.writtenPaths(), e.rowsDropped(), e.itemsReturned(), e.upstreamStatus(),
                e.decideMicros(), e.note(), e.requestId(), e.phase(), e.lostSequences());
        assertArrayEquals(expected, ecs.encode(equal));
        AuditEvent other = event(new SplittableRandom(6)).numbered(e.sequence(), "other");  // the same slot, another event
        same(JacksonEcs.encode(other), ecs.encode(other));
        same(expected, ecs.encode(e));
    }

    @Test
    void ocsfRecordsAreJacksonsBytes() {
        SplittableRandom r = new SplittableRandom(17);
        OcsfJson ocsf = new OcsfJson();
        for (int i = 0; i < 20_000; i++) {
            AuditEvent e = event(r);
            same(JacksonOcsf.encode(e), ocsf.encode(e));
        }
    }

    @Test
    void stringsAndNumbersAreJacksonsBytes() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        JsonBytes j = new JsonBytes(8);  // small, so growing is exercised too
        for (int i = 0; i < 50_000; i++) {
            String s = text(r, i % 100 == 0 ? 5000 : 60);
            long n = number(r);
            ByteArrayBuilder out = new ByteArrayBuilder();
            try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeFieldName("a.b");
                g.writeString(s);
                g.writeFieldName("a.b");
                g.writeNumber(n);
                g.writeFieldName("a.b");
                g.writeStartArray();
                g.writeString(s);
                g.writeString(s + ":" + n);
                g.writeEndArray();
                g.writeEndObject();
            }
            j.reset().startObject().field(NAME).value(s).field(NAME).value(n).field(NAME)
                    .startArray().value(s).value(s, ':', n).endArray().endObject();
            same(out.toByteArray(), j.toByteArray());
        }
    }

    /** Equal bytes, or a failure showing where they part. */
    private static void same(byte[] expected, byte[] actual) {
        int at = Arrays.mismatch(expected, actual);
        if (at < 0) return;
        int from = Math.max(0, at - 40);
        assertEquals(new String(expected, from, Math.min(expected.length, at + 40) - from, StandardCharsets.ISO_8859_1),
                new String(actual, from, Math.min(actual.length, at + 40) - from, StandardCharsets.ISO_8859_1), "first differing byte " + at);
    }

    @Test
    void nestedObjectsAndArraysTakeTheirCommas() throws Exception {
        byte[] x = JsonBytes.name("x");
        JsonBytes j = new JsonBytes(4).startObject().field(x).startObject().field(x).value(1).field(x).startArray()
                .startObject().endObject().startArray().endArray().value("s").endArray().endObject()
                .field(x).values(List.of()).field(x).value((String) null).endObject();
        assertEquals("{\"x\":{\"x\":1,\"x\":[{},[],\"s\"]},\"x\":[],\"x\":null}", new String(j.toByteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void aLoneSurrogateIsEscapedAndReadsBackTheSame() throws Exception {
        for (String s : List.of("\ud800", "a\udfffb", "\udc00\ud800", "x\ud83d", "\ud83d\ude00\ud83d")) {
            byte[] json = new JsonBytes(2).value(s).toByteArray();
            String text = new String(json, StandardCharsets.US_ASCII);
            assertEquals(s, MAPPER.readTree(json).asText(), text);
        }
        assertEquals("\"\\uD800\"", new String(new JsonBytes(2).value("\ud800").toByteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void aLargeRecordsBufferIsNotKept() {
        JsonBytes j = new JsonBytes(16);
        j.reset().value("x".repeat(200_000));
        assertEquals(200_002, j.length());
        j.reset().value("y");
        assertEquals(3, j.length());
        assertEquals(1024, j.array().length, "the 1.2 MB buffer was let go");
    }
}
