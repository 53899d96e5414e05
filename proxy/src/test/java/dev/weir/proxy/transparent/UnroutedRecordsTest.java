package dev.weir.proxy.transparent;

import dev.weir.audit.event.AuditEvent;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flood of unrouted connections gets at most the burst and then the rate in records of their
 * own, and every connection beyond is counted in a summary record: records plus counts always
 * add up to the connections refused.
 */
class UnroutedRecordsTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("192.0.2.7", 40000);
    private static final InetSocketAddress TO = new InetSocketAddress("10.0.2.9", 8000);

    @Test
    void aFloodIsRecordedUpToTheRateAndCountedBeyondIt() {
        List<AuditEvent> events = new ArrayList<>();
        AtomicLong now = new AtomicLong(0);
        UnroutedRecords records = new UnroutedRecords(events::add, now::get);
        int firsts = 0;
        for (int i = 0; i < 1_000; i++) if (records.refused(FROM, TO, null)) firsts++;
        assertEquals(UnroutedRecords.BURST, events.size(), "the burst, one record each");
        assertEquals(1, firsts, "one flush to schedule for the connections held back");
        records.flush();
        assertEquals(UnroutedRecords.BURST + 1, events.size());
        assertEquals(1_000, accounted(events));
        records.flush();
        assertEquals(UnroutedRecords.BURST + 1, events.size(), "nothing held back: no second summary");

        // a second later: the rate's worth of records again, then the count
        now.addAndGet(1_000_000_000L);
        for (int i = 0; i < 500; i++) records.refused(FROM, TO, null);
        records.flush();
        assertEquals(1_500, accounted(events));
        long own = events.stream().filter(e -> !isSummary(e)).count();
        assertEquals(UnroutedRecords.BURST + UnroutedRecords.PER_SECOND, own);
        assertTrue(events.stream().allMatch(e -> UnroutedConnection.OPERATION.equals(e.operation()) && "DENIED".equals(e.decision())));
    }

    @Test
    void aSummaryGoesOutWithTheNextRecordLetThrough() {
        List<AuditEvent> events = new ArrayList<>();
        AtomicLong now = new AtomicLong(0);
        UnroutedRecords records = new UnroutedRecords(events::add, now::get);
        for (int i = 0; i < UnroutedRecords.BURST + 3; i++) records.refused(FROM, TO, null);
        now.addAndGet(20_000_000L); // two records' worth of time
        assertFalse(records.refused(FROM, TO, null));
        AuditEvent summary = events.get(events.size() - 2);
        assertTrue(isSummary(summary), summary.toString());
        assertTrue(summary.note().startsWith("3 more unrouted connections were refused since "), summary.note());
        assertEquals(UnroutedRecords.BURST + 4, accounted(events));
    }

    private static boolean isSummary(AuditEvent e) {
        return e.note() != null && e.note().contains("without a record each");
    }

    private static long accounted(List<AuditEvent> events) {
        long n = 0;
        for (AuditEvent e : events) n += isSummary(e) ? Long.parseLong(e.note().substring(0, e.note().indexOf(' '))) : 1;
        return n;
    }
}
