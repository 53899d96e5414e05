package dev.weir.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decimal numbers and ASCII text written in place are what {@code Long.toString} and US-ASCII give. */
class HeadWriterTest {
    @Test
    void decimalsAreLongToString() {
        Random random = new Random(16);
        long[] edges = {0, 1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, Integer.MAX_VALUE, 999_999_999_999_999_999L,
                1_000_000_000_000_000_000L, Long.MAX_VALUE};
        ByteBuf out = Unpooled.buffer(1);
        for (int n = 0; n < 20_000; n++) {
            long v = n < edges.length ? edges[n] : (random.nextLong() & Long.MAX_VALUE) >>> random.nextInt(63);
            out.clear();
            HeadWriter.writeDecimal(out, v);
            assertEquals(Long.toString(v), out.toString(StandardCharsets.US_ASCII));
            assertEquals(Long.toString(v).length(), HeadWriter.decimalLength(v));
        }
        assertThrows(IllegalArgumentException.class, () -> HeadWriter.decimalLength(-1));
    }

    @Test
    void textAndLineEnds() {
        ByteBuf out = Unpooled.buffer(1);
        HeadWriter.writeAscii(out, "X-Amz-Date: 20261207T000000Z");
        HeadWriter.writeCrlf(out);
        assertEquals("X-Amz-Date: 20261207T000000Z\r\n", out.toString(StandardCharsets.US_ASCII));
        assertTrue(HeadWriter.visibleAscii("a ~!"));
        for (String bad : new String[] {"a\r", "a\n", "\t", "\u00e9", "\u007f", "\u0100"}) assertFalse(HeadWriter.visibleAscii(bad), bad);
    }
}
