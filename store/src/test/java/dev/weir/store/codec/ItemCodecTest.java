package dev.weir.store.codec;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.Bytes;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ItemCodecTest {

    static Map<String, AttributeValue> everyType() {
        Map<String, AttributeValue> nested = new LinkedHashMap<>();
        nested.put("deep", new AttributeValue.L(List.of(new AttributeValue.N("-1.5"), new AttributeValue.Null())));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", new AttributeValue.S("k\u00e9y \uD83D\uDE00"));
        item.put("n", new AttributeValue.N("12345678901234567890.5"));
        item.put("b", new AttributeValue.B(new Bytes(new byte[]{0, 1, (byte) 0xFF})));
        item.put("t", new AttributeValue.Bool(true));
        item.put("f", new AttributeValue.Bool(false));
        item.put("nul", new AttributeValue.Null());
        item.put("m", new AttributeValue.M(nested));
        item.put("l", new AttributeValue.L(List.of(new AttributeValue.S(""), new AttributeValue.M(Map.of()))));
        item.put("ss", new AttributeValue.SS(List.of("a", "b")));
        item.put("ns", new AttributeValue.NS(List.of("1", "-2.5")));
        item.put("bs", new AttributeValue.BS(List.of(new Bytes(new byte[]{1}), new Bytes(new byte[0]))));
        item.put("", new AttributeValue.S("empty name"));
        return item;
    }

    @Test
    void everyTypeRoundTrips() {
        Map<String, AttributeValue> item = everyType();
        Map<String, AttributeValue> decoded = ItemCodec.decode(ItemCodec.encode(item));
        assertEquals(item, decoded);
        assertEquals(List.copyOf(item.keySet()), List.copyOf(decoded.keySet()), "attribute order is kept");
    }

    @Test
    void emptyItemRoundTrips() {
        assertEquals(Map.of(), ItemCodec.decode(ItemCodec.encode(Map.of())));
    }

    @Test
    void largeValuesRoundTrip() {
        String big = "x".repeat(300_000);
        Map<String, AttributeValue> item = Map.of("big", new AttributeValue.S(big));
        assertEquals(item, ItemCodec.decode(ItemCodec.encode(item)));
    }

    @Test
    void truncatedOrForeignBytesAreRejected() {
        byte[] bytes = ItemCodec.encode(everyType());
        assertThrows(IllegalStateException.class, () -> ItemCodec.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3)));
        assertThrows(IllegalStateException.class, () -> ItemCodec.decode(new byte[]{9, 0}));
    }
}
