package dev.weir.policy.field;

import dev.weir.policy.ast.FieldAction;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueBytes;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ByteMask} against {@link Masking#apply} written by {@link AttributeValueBytes}: on
 * seeded random texts (ASCII, two- and three-byte characters, the empty text, texts shorter
 * and longer than what a partial mask keeps) and numbers, every mask done on the bytes writes
 * exactly the bytes of the decoded path, at any offset in a larger buffer, keys and all; the
 * masks it does not do write nothing; a missing key fails as {@code redact} fails.
 */
class ByteMaskTest {
    private static final String[] PIECES = {"a", "Z", "0", "-", " ", "é", "ü", "€", "中", "\u2028", "~", "@", ".", "?"};
    private static final HmacKeys KEYS = HmacKeys.forTesting();
    private static final List<FieldAction> ACTIONS = List.of(
            new FieldAction.Hash(), new FieldAction.Hmac("k"), new FieldAction.Hmac("other"), new FieldAction.UnkeyedSha256(),
            new FieldAction.MaskShowFirst(0), new FieldAction.MaskShowFirst(1), new FieldAction.MaskShowFirst(3),
            new FieldAction.MaskShowLast(0), new FieldAction.MaskShowLast(2), new FieldAction.MaskShowLast(4),
            new FieldAction.Constant("x\"y"), new FieldAction.ConstantNumber(new BigDecimal("12.50")),
            new FieldAction.Pattern("[aeiou]", "_"), new FieldAction.Round(new BigDecimal("10")));

    @Test
    void masksOnTheBytesWriteWhatTheDecodedPathWrites() {
        Random r = new Random(0xB17E);
        int onBytes = 0, declined = 0;
        for (int i = 0; i < 4_000; i++) {
            FieldAction action = ACTIONS.get(r.nextInt(ACTIONS.size()));
            ByteMask mask = ByteMask.of(new ValueRule.Masked(action, KEYS));
            boolean number = r.nextInt(4) == 0;
            String text = number ? Integer.toString(r.nextInt(2_000_000) - 1_000_000) : text(r);
            AttributeValue value = number ? new AttributeValue.N(text) : new AttributeValue.S(text);
            AttributeValueBytes expected = new AttributeValueBytes(64);
            expected.value(Masking.apply(action, value, KEYS));
            if (mask == null) {
                declined++;
                continue;
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            int pad = r.nextInt(5);
            byte[] src = new byte[pad + utf8.length + 3];
            System.arraycopy(utf8, 0, src, pad, utf8.length);
            AttributeValueBytes got = new AttributeValueBytes(16);
            if (!mask.write(number ? 'N' : 'S', src, pad, pad + utf8.length, got)) {
                assertEquals(0, got.size(), "nothing written when declined");
                declined++;
                continue;
            }
            assertArrayEquals(expected.toByteArray(), got.toByteArray(),
                    action + " of " + value + ": " + new String(got.toByteArray(), StandardCharsets.UTF_8));
            onBytes++;
        }
        assertTrue(onBytes > 2_500 && declined > 300, onBytes + " on the bytes, " + declined + " declined");
    }

    @Test
    void otherKindsAreLeftToTheCaller() {
        ByteMask mask = ByteMask.of(new ValueRule.Masked(new FieldAction.Hash(), KEYS));
        AttributeValueBytes out = new AttributeValueBytes(16);
        byte[] b = "true".getBytes(StandardCharsets.US_ASCII);
        assertFalse(mask.write('B', b, 0, b.length, out));
        assertEquals(0, out.size());
    }

    @Test
    void aMissingKeyFailsAsRedactFails() {
        HmacKeys none = HmacKeys.none();
        byte[] b = "ada@example.com".getBytes(StandardCharsets.US_ASCII);
        for (FieldAction action : List.of(new FieldAction.Hash(), new FieldAction.Hmac("k"))) {
            ByteMask mask = ByteMask.of(new ValueRule.Masked(action, none));
            IllegalStateException onBytes = assertThrows(IllegalStateException.class,
                    () -> mask.write('S', b, 0, b.length, new AttributeValueBytes(16)));
            IllegalStateException decoded = assertThrows(IllegalStateException.class,
                    () -> Masking.apply(action, new AttributeValue.S("ada@example.com"), none));
            assertEquals(decoded.getMessage(), onBytes.getMessage());
        }
    }

    @Test
    void masksUnderDifferentKeysEachKeepTheirOwn() {
        HmacKeys keys = HmacKeys.of(Map.of("a", new byte[] {1, 2, 3}, "b", new byte[] {4, 5, 6}));
        ByteMask a = ByteMask.of(new ValueRule.Masked(new FieldAction.Hmac("a"), keys));
        ByteMask b = ByteMask.of(new ValueRule.Masked(new FieldAction.Hmac("b"), keys));
        byte[] text = "same text".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 3; i++) {
            for (ByteMask m : List.of(a, b)) {
                String key = m == a ? "a" : "b";
                AttributeValueBytes got = new AttributeValueBytes(16);
                assertTrue(m.write('S', text, 0, text.length, got));
                AttributeValueBytes expected = new AttributeValueBytes(16);
                expected.value(Masking.apply(new FieldAction.Hmac(key), new AttributeValue.S("same text"), keys));
                assertArrayEquals(expected.toByteArray(), got.toByteArray(), key + " round " + i);
                // the decoding path in between sets the engine up with the other key
                Masking.apply(new FieldAction.Hmac(m == a ? "b" : "a"), new AttributeValue.S("x"), keys);
            }
        }
    }

    private static String text(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(12); n > 0; n--) sb.append(PIECES[r.nextInt(PIECES.length)]);
        return sb.toString();
    }
}
