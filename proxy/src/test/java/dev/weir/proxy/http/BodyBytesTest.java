package dev.weir.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client's body starts at 64 KB at most whatever it declares (untrusted); the store's answer is
 * sized once to its declared length, so a 1 MB answer arriving in pieces is collected in one array
 * of exactly 1 MB, never grown or trimmed; either way the bytes are the ones sent.
 */
class BodyBytesTest {
    private static final int MB = 1 << 20;

    @Test
    void aClientsDeclaredLengthBuysItOnly64KbUntilTheBytesArrive() {
        BodyBytes body = new BodyBytes();
        body.start(MB);
        assertEquals(64 * 1024, body.capacity());
        body.start(100);
        assertEquals(100, body.capacity());
        body.start(0);
        assertEquals(0, body.capacity());
        assertArrayEquals(collect(body, MB), expected(MB), "grown as it arrives, the same bytes");
    }

    @Test
    void theStoresAnswerIsSizedOnceToItsDeclaredLength() {
        BodyBytes body = BodyBytes.sizedToDeclared();
        body.start(MB);
        assertEquals(MB, body.capacity());
        byte[] sent = expected(MB);
        ByteBuf buf = Unpooled.wrappedBuffer(sent);
        Random random = new Random(16);
        for (int at = 0; at < MB; ) {
            int n = Math.min(MB - at, 1 + random.nextInt(70_000));
            body.append(buf, at, n, MB);
            at += n;
            assertEquals(MB, body.capacity(), "never grown");
        }
        assertArrayEquals(sent, body.take());
        body.start(0);
        assertEquals(0, body.capacity(), "without a length (chunked, until close) it grows as bytes come");
    }

    @Test
    void aStoresHugeDeclaredLengthBuysItNoMoreThanTheFirstAnswerSizeUntilItsBytesCome() {
        BodyBytes body = BodyBytes.sizedToDeclared();
        body.start(64L * MB);
        assertEquals(BodyBytes.FIRST_ANSWER_BYTES, body.capacity());
        int size = BodyBytes.FIRST_ANSWER_BYTES + MB;
        assertArrayEquals(collect(body, size), expected(size), "grown past it as the bytes come, the same bytes");
    }

    private static byte[] collect(BodyBytes body, int size) {
        body.start(size);
        ByteBuf buf = Unpooled.wrappedBuffer(expected(size));
        for (int at = 0; at < size; at += 1000) body.append(buf, at, Math.min(1000, size - at), size);
        return body.take();
    }

    private static byte[] expected(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }
}
