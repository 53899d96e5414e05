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
                .build();
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

    /** Version 1 records (an earlier weir's spool) end at the note; they decode with no lost sequences. */
    @Test
    void versionOneRecordsAreStillRead() throws Exception {
        AuditEvent e = full().toBuilder().lostSequences(List.of()).build();
        byte[] v2 = EventCodec.encode(e);
        assertEquals(2, v2[0]);
        assertEquals(0, v2[v2.length - 1], "an empty list of lost sequences ends a version 2 record");
        byte[] v1 = Arrays.copyOf(v2, v2.length - 1);
        v1[0] = 1;
        assertEquals(e, EventCodec.decode(v1));
        AuditEvent gap = AuditEvent.builder().sequence(9).operation("weir:AuditGap").lostSequences(List.of("3-5", "7")).build();
        assertEquals(List.of("3-5", "7"), EventCodec.decode(EventCodec.encode(gap)).lostSequences());
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
