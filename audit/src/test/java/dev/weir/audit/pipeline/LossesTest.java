package dev.weir.audit.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossesTest {
    @Test
    void lostNumbersBecomeMergedRangesWithTheirReasons() {
        Losses l = new Losses();
        for (long s : new long[] {7, 5, 6, 9, 12, 11, 10, 20}) l.add(s, Losses.Reason.QUEUE_FULL);
        l.add(new Losses.Lost(30, 33, 0, Losses.Reason.DAMAGED, "spool records 4..5 damaged: checksum"));
        l.add(21, Losses.Reason.WRITE_FAILED);
        Losses.Gap g = l.take(256);
        assertEquals(List.of("5-7", "9-12", "20-21", "30-33"), g.ranges());
        assertEquals(13, g.count());
        assertEquals("13 audit events were lost (8: the queue was full; 1: the spool could not be written; "
                + "4: their spool records were damaged on disk); their sequence numbers: 5-7,9-12,20-21,30-33; "
                + "last error: spool records 4..5 damaged: checksum", g.note());
        assertTrue(l.isEmpty());
    }

    @Test
    void aGapThatCouldNotBeWrittenIsGivenBackAndMergedWithNewLosses() {
        Losses l = new Losses();
        l.add(3, Losses.Reason.SPOOL_FULL);
        Losses.Gap first = l.take(256);
        l.add(4, Losses.Reason.SPOOL_FULL);
        l.giveBack(first);
        Losses.Gap both = l.take(256);
        assertEquals(List.of("3-4"), both.ranges());
        assertEquals(2, both.count());
        assertTrue(both.note().startsWith("2 audit events were lost (2: the spool was full"), both.note());
    }

    /** More ranges than a gap event lists: the smallest holes are filled, every lost number stays covered, the count stays exact. */
    @Test
    void tooManyRangesFillTheSmallestHolesButCoverEveryLostNumber() {
        Losses l = new Losses();
        Random r = new Random(42);
        TreeSet<Long> lost = new TreeSet<>();
        for (long s = 1; s < 20_000; s++) {
            if (r.nextInt(3) == 0) {
                lost.add(s);
                l.add(s, Losses.Reason.QUEUE_FULL);
            }
        }
        Losses.Gap g = l.take(16);
        assertEquals(16, g.ranges().size());
        assertEquals(lost.size(), g.count());
        for (long s : lost) {
            boolean covered = false;
            for (int i = 0; i < g.from().length; i++) covered |= g.from()[i] <= s && s <= g.to()[i];
            assertTrue(covered, "lost " + s + " not covered");
        }
        long span = 0;
        for (int i = 0; i < g.from().length; i++) span += g.to()[i] - g.from()[i] + 1;
        assertEquals(span - lost.size(), g.spanned());
        assertTrue(g.note().contains("these ranges also span " + g.spanned() + " numbers that were not lost"), g.note());
    }

    @Test
    void damageWithoutNumbersIsCountedAsRecords() {
        Losses l = new Losses();
        l.add(new Losses.Lost(1, 0, 3, Losses.Reason.DAMAGED, null));
        Losses.Gap g = l.take(256);
        assertEquals(List.of(), g.ranges());
        assertEquals(3, g.count());
        assertTrue(g.note().contains("3 damaged spool records whose sequence numbers are unknown"), g.note());
    }
}
