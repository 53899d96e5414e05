package dev.weir.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A head put together by the thread's writer: decimal numbers as {@code Long.toString} spells them,
 * ASCII text as US-ASCII encodes it, a head longer than the writer's first array, a new head
 * starting empty, and the buffer sized exactly for head and body.
 */
class HeadWriterTest {
    @Test
    void decimalsAreLongToString() {
        Random random = new Random(16);
        long[] edges = {0, 1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, Integer.MAX_VALUE, 999_999_999_999_999_999L,
                1_000_000_000_000_000_000L, Long.MAX_VALUE};
        for (int n = 0; n < 20_000; n++) {
            long v = n < edges.length ? edges[n] : (random.nextLong() & Long.MAX_VALUE) >>> random.nextInt(63);
            assertEquals(Long.toString(v), text(HeadWriter.start().decimal(v).finish(UnpooledByteBufAllocator.DEFAULT, null)));
        }
        assertThrows(IllegalArgumentException.class, () -> HeadWriter.start().decimal(-1));
    }

    @Test
    void aHeadOfAnyLengthAndItsBodyInABufferSizedOnce() {
        String longValue = "v".repeat(5_000);
        HeadWriter.start().ascii("left over from an earlier head");
        HeadWriter w = HeadWriter.start().bytes("X-Amz-Date: ".getBytes(StandardCharsets.US_ASCII)).ascii("20261207T000000Z").crlf()
                .ascii("X-Long: ").ascii(longValue).crlf().crlf();
        assertEquals(30 + 8 + 5_000 + 4, w.length());
        ByteBuf out = w.finish(UnpooledByteBufAllocator.DEFAULT, "{}".getBytes(StandardCharsets.US_ASCII));
        assertEquals(out.readableBytes(), out.capacity(), "sized exactly");
        assertEquals("X-Amz-Date: 20261207T000000Z\r\nX-Long: " + longValue + "\r\n\r\n{}", text(out));
    }

    @Test
    void visibleAsciiIsSpaceToTilde() {
        assertTrue(HeadWriter.visibleAscii("a ~!"));
        for (String bad : new String[] {"a\r", "a\n", "\t", "\u00e9", "\u007f", "\u0100"}) assertFalse(HeadWriter.visibleAscii(bad), bad);
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(StandardCharsets.US_ASCII);
        } finally {
            b.release();
        }
    }
}
