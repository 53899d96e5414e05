package dev.weir.store.codec;

import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Component boundaries, prefixes and successors: what range reads and parallel scans rely on. */
class KeyComponentsTest {

    private static byte[] component(AttributeValue v) {
        ByteWriter out = new ByteWriter();
        KeyCodec.writeComponent(out, v);
        return out.toByteArray();
    }

    @Test
    void componentLengthFindsTheEndOfEveryComponent() {
        Random random = new Random(7);
        List<AttributeValue> values = List.of(new AttributeValue.N("0"), new AttributeValue.N("-1"), new AttributeValue.N("123.456"),
                new AttributeValue.N("-9.99E-100"), new AttributeValue.N("1E125"), new AttributeValue.S(""),
                new AttributeValue.S("a\0b"), new AttributeValue.B(new AttributeValue.Bytes(new byte[] {0, 0, (byte) 0xFF, 1})));
        for (AttributeValue v : values) {
            byte[] c = component(v);
            byte[] withTail = Arrays.copyOf(c, c.length + 5);
            for (int i = c.length; i < withTail.length; i++) withTail[i] = (byte) random.nextInt();
            assertEquals(c.length, OrderedBytes.componentLength(withTail, 0, v instanceof AttributeValue.N), v.toString());
        }
    }

    @Test
    void aStringPrefixIsAPrefixOfTheEncodingsItStarts() {
        ByteWriter prefix = new ByteWriter();
        OrderedBytes.writeBytesPrefix(prefix, "ap\0".getBytes(StandardCharsets.UTF_8));
        byte[] p = prefix.toByteArray();
        for (String s : List.of("ap\0", "ap\0x", "ap\0\0")) {
            byte[] c = component(new AttributeValue.S(s));
            assertTrue(Arrays.equals(c, 0, p.length, p, 0, p.length), s);
        }
        byte[] other = component(new AttributeValue.S("ap"));
        assertTrue(Arrays.compareUnsigned(other, p) < 0 || !Arrays.equals(other, 0, p.length, p, 0, p.length));
    }

    @Test
    void successorIsTheFirstKeyAfterAPrefix() {
        assertArrayEquals(new byte[] {1, 3}, KeyCodec.successor(new byte[] {1, 2}));
        assertArrayEquals(new byte[] {2}, KeyCodec.successor(new byte[] {1, (byte) 0xFF}));
        assertNull(KeyCodec.successor(new byte[] {(byte) 0xFF, (byte) 0xFF}));
    }
}
