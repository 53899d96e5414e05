package dev.weir.protocol.expr;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Small builders for values, items and expected errors. */
final class Fixtures {
    private Fixtures() {}

    static AttributeValue s(String v) { return new AttributeValue.S(v); }

    static AttributeValue n(String v) { return new AttributeValue.N(v); }

    static AttributeValue b(int... bytes) {
        byte[] array = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) array[i] = (byte) bytes[i];
        return new AttributeValue.B(new AttributeValue.Bytes(array));
    }

    static AttributeValue bool(boolean v) { return new AttributeValue.Bool(v); }

    static AttributeValue nul() { return new AttributeValue.Null(); }

    static AttributeValue ss(String... v) { return new AttributeValue.SS(Arrays.asList(v)); }

    static AttributeValue ns(String... v) { return new AttributeValue.NS(Arrays.asList(v)); }

    static AttributeValue bs(AttributeValue... v) {
        return new AttributeValue.BS(Arrays.stream(v).map(x -> ((AttributeValue.B) x).value()).toList());
    }

    static AttributeValue l(AttributeValue... v) { return new AttributeValue.L(List.of(v)); }

    static AttributeValue m(Object... kv) { return new AttributeValue.M(map(kv)); }

    /** A map (item) from alternating names and values. */
    static Map<String, AttributeValue> map(Object... kv) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) out.put((String) kv[i], (AttributeValue) kv[i + 1]);
        return out;
    }

    static Map<String, String> names(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) out.put(kv[i], kv[i + 1]);
        return out;
    }

    /** The message of the ValidationException {@code action} throws. */
    static String error(Executable action) {
        DynamoException e = assertThrows(DynamoException.class, action);
        assertEquals("ValidationException", e.error().shortType());
        return e.error().message();
    }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
