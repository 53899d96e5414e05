package dev.weir.protocol.wire;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Utf8#isStrict} judges as the JDK's UTF-8 decoder does, on seeded random bytes and on the edge cases. */
class Utf8Test {
    private static boolean jdk(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    @Test
    void randomBytesAreJudgedAsTheJdkJudgesThem() {
        Random r = new Random(0x0f8L);
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b;
            if (r.nextBoolean()) {
                // mostly valid text with a byte changed now and then
                StringBuilder sb = new StringBuilder();
                for (int n = r.nextInt(30); n > 0; n--) sb.appendCodePoint(switch (r.nextInt(5)) {
                    case 0 -> 0x80 + r.nextInt(0x780);
                    case 1 -> 0x800 + r.nextInt(0xD000);
                    case 2 -> 0x10000 + r.nextInt(0x100000);
                    default -> r.nextInt(0x80);
                });
                b = sb.toString().getBytes(StandardCharsets.UTF_8);
                if (b.length > 0 && r.nextInt(3) == 0) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                if (b.length > 0 && r.nextInt(6) == 0) b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            } else {
                b = new byte[r.nextInt(12)];
                for (int j = 0; j < b.length; j++) b[j] = (byte) (0x80 | r.nextInt(0x80) | (r.nextInt(4) == 0 ? 0 : 0x40) & 0xFF);
            }
            byte[] text = b;
            boolean expected = jdk(text);
            if (expected) valid++;
            assertEquals(expected, Utf8.isStrict(text), () -> java.util.HexFormat.of().formatHex(text));
        }
        assertTrue(valid > 50_000 && valid < 150_000, valid + " valid");
    }

    @Test
    void theEdgesOfEachForm() {
        assertTrue(Utf8.isStrict(new byte[0]));
        assertTrue(Utf8.isStrict("plain ascii, longer than eight bytes".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Utf8.isStrict(bytes(0xC2, 0x80)));
        assertTrue(Utf8.isStrict(bytes(0xE0, 0xA0, 0x80)));
        assertTrue(Utf8.isStrict(bytes(0xED, 0x9F, 0xBF)));
        assertTrue(Utf8.isStrict(bytes(0xF4, 0x8F, 0xBF, 0xBF)));
        assertFalse(Utf8.isStrict(bytes(0xC0, 0x80)), "overlong NUL");
        assertFalse(Utf8.isStrict(bytes(0xE0, 0x9F, 0xBF)), "overlong");
        assertFalse(Utf8.isStrict(bytes(0xED, 0xA0, 0x80)), "a surrogate");
        assertFalse(Utf8.isStrict(bytes(0xF0, 0x8F, 0xBF, 0xBF)), "overlong");
        assertFalse(Utf8.isStrict(bytes(0xF4, 0x90, 0x80, 0x80)), "above U+10FFFF");
        assertFalse(Utf8.isStrict(bytes('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 0xE2, 0x82)), "cut short");
    }
}
