package dev.weir.audit.event;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spool's binary event encoding: exact at the edges, strict on bad bytes, and still reading the old JSON records. */
class EventCodecTest {
    static AuditEvent full() {
        return AuditEvent.builder().sequence(Long.MAX_VALUE).instance("weir-é-🙂").timeMicros(Long.MIN_VALUE)
                .principal("").roles(List.of("a", "", "ü")).accessKeyId(null).source("::1", -1).operation("GetItem")
                .table("t\u0000\n").decision("ALLOWED").ruleIds(List.of("r1")).policyHash("h").maskedFields(List.of("x.y"))
                .removedFields(List.of()).status(Integer.MIN_VALUE).errorType("E").latencyMicros(-5).tlsSubject("CN=a")
                .index("i").itemKeys(List.of("id=S:1")).readPaths(List.of("p")).writtenPaths(List.of("w"))
                .rowsDropped(Integer.MAX_VALUE).itemsReturned(0).upstreamStatus(503).decideMicros(1L << 40).note("n".repeat(300))
                .requestId("5f2b-é").phase(AuditEvent.DECISION).build();
    }

    /** A string of {@code n} chars drawn from ASCII, Latin-1, other BMP text, surrogate pairs and lone halves of them. */
    private static String text(java.util.Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(12)) {
                case 0 -> sb.append((char) (0xD800 + r.nextInt(0x400)));   // a high half, maybe alone
                case 1 -> sb.append((char) (0xDC00 + r.nextInt(0x400)));   // a low half, maybe alone
                case 2 -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000)); // a pair
                case 3 -> sb.append((char) (0x80 + r.nextInt(0x80)));
                case 4 -> sb.append((char) (0x100 + r.nextInt(0xD700)));
                default -> sb.append((char) r.nextInt(0x80));
            }
        }
        return sb.toString();
    }

    private static String maybe(java.util.Random r) {
        int k = r.nextInt(10);
        if (k == 0) return null;
        if (k < 5) return "ascii-" + r.nextInt(1000);                // most of an event
        return text(r, r.nextInt(k < 8 ? 4 : 80));
    }

    /**
     * The writer's encoder, one buffer for every event, writes what a fresh encoding writes, and
     * says an event is lossless exactly when its record decodes to an equal event (40,000 seeded
     * events: strings of every kind, lone surrogates among them, big and small events in turn).
     */
    @Test
    void theReusedEncoderWritesTheSameBytesAndKnowsWhenTheyAreExact() throws Exception {
        java.util.Random r = new java.util.Random(20261208);
        EventCodec.Encoder encoder = new EventCodec.Encoder();
        int lossy = 0;
        for (int i = 0; i < 40_000; i++) {
            int big = i % 97 == 0 ? 20_000 : 0;   // now and then an event that outgrows the buffer
            AuditEvent e = AuditEvent.builder().sequence(r.nextLong()).instance(maybe(r)).timeMicros(r.nextLong())
                    .principal(maybe(r)).roles(r.nextBoolean() ? List.of() : List.of(text(r, r.nextInt(6)), "r"))
                    .accessKeyId(maybe(r)).source(maybe(r), r.nextInt(70_000)).operation(maybe(r)).table(maybe(r))
                    .decision(maybe(r)).ruleIds(List.of(text(r, r.nextInt(5)))).note(big > 0 ? text(r, big) : maybe(r))
                    .requestId(maybe(r)).readPaths(r.nextBoolean() ? List.of() : List.of(text(r, 3), text(r, 9), "p"))
                    .build();
            byte[] reused = encoder.encode(e);
            assertTrue(Arrays.equals(EventCodec.encode(e), reused), "event " + i);
            boolean exact = e.equals(EventCodec.decode(reused));
            assertEquals(exact, encoder.lossless(), "event " + i);
            if (!exact) lossy++;
        }
        assertTrue(lossy > 1_000 && lossy < 39_000, "both kinds drawn: " + lossy + " lossy");
    }

    @Test
    void everyComponentSurvivesIncludingExtremesNullsAndEmptyStrings() throws Exception {
        AuditEvent e = full();
        assertEquals(e, EventCodec.decode(EventCodec.encode(e)));
        AuditEvent empty = AuditEvent.builder().build();
        assertEquals(empty, EventCodec.decode(EventCodec.encode(empty)));
        assertTrue(EventCodec.encode(empty).length < 40, "an empty event is small");
    }

    @Test
    void recordsOfTheEarlierJsonEncodingAreStillRead() throws Exception {
        ObjectMapper json = new ObjectMapper().setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        AuditEvent e = full();
        assertEquals(e, EventCodec.decode(json.writeValueAsBytes(e)));
    }

    /**
     * Records of an earlier weir still drain after an upgrade: version 2 ends at the phase (no
     * lost sequences), version 1 at the note (no request id, phase or lost sequences).
     */
    @Test
    void versionOneAndTwoRecordsAreStillRead() throws Exception {
        AuditEvent e = full().toBuilder().lostSequences(List.of()).build();
        byte[] v3 = EventCodec.encode(e);
        assertEquals(3, v3[0]);
        assertEquals(0, v3[v3.length - 1], "an empty list of lost sequences ends a version 3 record");
        byte[] v2 = Arrays.copyOf(v3, v3.length - 1);
        v2[0] = 2;
        assertEquals(e, EventCodec.decode(v2));

        AuditEvent old = e.toBuilder().requestId(null).phase(null).build();
        byte[] full3 = EventCodec.encode(old);
        // v1 = v3 without the two null strings and the empty list (one 0 byte each), with version byte 1
        byte[] v1 = Arrays.copyOf(full3, full3.length - 3);
        v1[0] = 1;
        assertEquals(old, EventCodec.decode(v1));
        byte[] v1TooLong = Arrays.copyOf(full3, full3.length);
        v1TooLong[0] = 1;
        assertThrows(IOException.class, () -> EventCodec.decode(v1TooLong));

        AuditEvent gap = AuditEvent.builder().sequence(9).operation("weir:AuditGap").lostSequences(List.of("3-5", "7")).build();
        assertEquals(List.of("3-5", "7"), EventCodec.decode(EventCodec.encode(gap)).lostSequences());
    }

    /** Lists come back equal at every length (none, one and two are held without an array), and immutable. */
    @Test
    void listsOfEveryLengthSurviveAndComeBackImmutable() throws Exception {
        for (int n : new int[] {0, 1, 2, 3, 7}) {
            List<String> roles = java.util.stream.IntStream.range(0, n).mapToObj(i -> "r" + i).toList();
            AuditEvent e = AuditEvent.builder().roles(roles).readPaths(roles).build();
            AuditEvent back = EventCodec.decode(EventCodec.encode(e));
            assertEquals(e, back, n + " strings");
            assertThrows(UnsupportedOperationException.class, () -> back.roles().add("x"));
        }
    }

    /** A list that holds a null (bytes no weir writes) is refused as malformed, not thrown as a NullPointerException. */
    @Test
    void aListHoldingANullIsRefusedAsMalformed() throws Exception {
        byte[] good = EventCodec.encode(AuditEvent.builder().roles(List.of("a")).build());
        // version, sequence, instance, time, principal; then the roles: count 1, length+1 = 2, 'a'
        assertEquals(1, good[5]);
        assertEquals(2, good[6]);
        assertEquals('a', good[7]);
        byte[] bad = new byte[good.length - 1];
        System.arraycopy(good, 0, bad, 0, 6);
        bad[6] = 0; // the one string is null
        System.arraycopy(good, 8, bad, 7, good.length - 8);
        IOException ex = assertThrows(IOException.class, () -> EventCodec.decode(bad));
        assertTrue(ex.getMessage().startsWith("spooled audit event is malformed"), ex.getMessage());
    }

    @Test
    void truncatedOrForeignBytesAreRefusedWithAClearError() {
        byte[] good = EventCodec.encode(full());
        for (int cut : new int[] {1, 5, good.length / 2, good.length - 1}) {
            IOException ex = assertThrows(IOException.class, () -> EventCodec.decode(Arrays.copyOf(good, cut)), "cut at " + cut);
            assertTrue(ex.getMessage().startsWith("spooled audit event"), ex.getMessage());
        }
        assertThrows(IOException.class, () -> EventCodec.decode(new byte[0]));
        assertThrows(IOException.class, () -> EventCodec.decode(new byte[] {9, 1, 2}));
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThrows(IOException.class, () -> EventCodec.decode(longer));
    }
}
