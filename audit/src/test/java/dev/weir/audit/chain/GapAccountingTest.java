package dev.weir.audit.chain;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EcsJsonLines;
import dev.weir.audit.format.EventFormat;
import dev.weir.audit.format.OcsfJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verifier accounts for sequence numbers: a gap event's numbers are a recorded gap, other missing numbers an unrecorded loss, neither tampering. */
class GapAccountingTest {
    private static AuditEvent event(String instance, long seq, long time) {
        return AuditEvent.builder().sequence(seq).instance(instance).timeMicros(time).principal("p").operation("GetItem")
                .table("t").decision("ALLOWED").status(200).build();
    }

    private static AuditEvent gap(String instance, long seq, List<String> lost) {
        return AuditEvent.builder().sequence(seq).instance(instance).timeMicros(1).operation("weir:AuditGap")
                .decision("DROPPED").note("lost").lostSequences(lost).build();
    }

    private static void write(Path dir, EventFormat format, List<AuditEvent> events) throws Exception {
        try (ChainedFileSink sink = new ChainedFileSink(ChainedFileSink.Options.of(dir, format))) {
            for (AuditEvent e : events) sink.write(e);
            sink.flush();
        }
    }

    @Test
    void everyNumberPresentIsCompleteWithoutGaps(@TempDir Path dir) throws Exception {
        write(dir, new EcsJsonLines(), List.of(event("w", 1, 10), event("w", 2, 11), event("w", 3, 12)));
        ChainVerifier.Report r = ChainVerifier.verify(dir, null);
        assertTrue(r.ok() && r.complete(), r.toString());
        assertEquals(List.of(), r.gaps());
    }

    @Test
    void numbersAGapEventNamesAreARecordedGapNotTampering(@TempDir Path dir) throws Exception {
        for (EventFormat f : List.of(new EcsJsonLines(), new OcsfJson())) {
            Path d = dir.resolve(f.name());
            // 4-5 and 8 lost; the gap event (number 9) says so; 10 follows
            write(d, f, List.of(event("w", 1, 10), event("w", 2, 11), event("w", 3, 12), event("w", 6, 13),
                    event("w", 7, 14), gap("w", 9, List.of("4-5", "8")), event("w", 10, 15)));
            ChainVerifier.Report r = ChainVerifier.verify(d, null);
            assertTrue(r.ok(), f.name() + " " + r.problems());
            assertTrue(r.complete(), f.name() + " " + r.unrecorded());
            assertEquals(List.of(new ChainVerifier.Missing("w", 4, 5, "audit-000001.log:6"),
                    new ChainVerifier.Missing("w", 8, 8, "audit-000001.log:6")), r.gaps(), f.name());
            assertEquals(3, r.lostInGaps());
        }
    }

    @Test
    void aNumberMissingWithoutAGapEventIsAnUnrecordedLoss(@TempDir Path dir) throws Exception {
        write(dir, new EcsJsonLines(), List.of(event("w", 1, 10), event("w", 3, 12), gap("w", 4, List.of("2-2")),
                event("w", 6, 13)));
        ChainVerifier.Report r = ChainVerifier.verify(dir, null);
        assertTrue(r.ok());
        assertFalse(r.complete());
        assertEquals(List.of(new ChainVerifier.Missing("w", 5, 5, null)), r.unrecorded());
        assertEquals(1, r.lostInGaps());
    }

    /** A sink added later starts in the middle of a run: the numbers before its first are not missing, unless a gap event names them. */
    @Test
    void aRunIsCheckedFromTheFirstNumberTheDirectoryHolds(@TempDir Path dir) throws Exception {
        write(dir, new EcsJsonLines(), List.of(event("w", 900, 10), event("w", 901, 11), gap("w", 903, List.of("2-3", "902")),
                event("w", 904, 12)));
        ChainVerifier.Report r = ChainVerifier.verify(dir, null);
        assertTrue(r.ok() && r.complete(), r.unrecorded().toString());
        assertEquals(List.of(new ChainVerifier.Missing("w", 2, 3, "audit-000001.log:3"),
                new ChainVerifier.Missing("w", 902, 902, "audit-000001.log:3")), r.gaps());
    }

    /** Instances are counted apart; a restart (number 1 again, another time) starts a new run; a repeat is a redelivery. */
    @Test
    void instancesRunsAndRepeatsAreToldApart(@TempDir Path dir) throws Exception {
        write(dir, new EcsJsonLines(), List.of(event("a", 1, 10), event("b", 1, 10), event("a", 2, 11), event("a", 2, 11),
                event("b", 2, 12), event("a", 1, 500), event("a", 3, 502), event("b", 4, 13)));
        ChainVerifier.Report r = ChainVerifier.verify(dir, null);
        assertTrue(r.ok());
        assertEquals(1, r.repeated());
        assertEquals(List.of(new ChainVerifier.Missing("b", 3, 3, null), new ChainVerifier.Missing("a", 2, 2, null)),
                r.unrecorded().stream().sorted(java.util.Comparator.comparing(ChainVerifier.Missing::instance).reversed()).toList());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("1 records repeat")), r.notes().toString());
    }
}
