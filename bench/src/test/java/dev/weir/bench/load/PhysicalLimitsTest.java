package dev.weir.bench.load;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhysicalLimitsTest {
    @Test
    void anExchangeCostsSomeCpuAndCopyingMovesBytes() throws Exception {
        double micros = PhysicalLimits.loopbackMicrosPerExchange(500);
        assertTrue(micros > 0.1 && micros < 100_000, "both ends used CPU per exchange: " + micros);
        assertTrue(PhysicalLimits.memcpyGigabytesPerSecond() > 0.01);
    }

    @Test
    void theSummaryIsTheMedianAndTheRange() {
        assertEquals("2.0 (1.0-9.0)", PhysicalLimits.summary(List.of(9.0, 1.0, 2.0), "%.1f"));
    }
}
