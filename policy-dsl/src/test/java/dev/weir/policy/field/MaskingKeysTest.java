package dev.weir.policy.field;

import dev.weir.policy.ast.FieldAction;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A thread's HMAC engine is set up once per key and reused (Masking.KeyedMac): every hash is
 * still the HMAC-SHA256 under the key asked for, whatever key came before it, including a key
 * that holds the previous one's bytes changed in place by the caller.
 */
class MaskingKeysTest {
    private static String expected(byte[] key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyHashIsUnderTheKeyAskedFor() throws Exception {
        byte[] a = "key-a".getBytes(StandardCharsets.UTF_8);
        byte[] b = "key-b".getBytes(StandardCharsets.UTF_8);
        byte[] empty = new byte[0];
        HmacKeys keys = HmacKeys.of(Map.of("a", a, "b", b, "e", empty)).withHashKey(new HashKey("h", b));
        Random r = new Random(42);
        for (int i = 0; i < 500; i++) {
            String value = "v" + r.nextInt(20);
            switch (r.nextInt(4)) {
                case 0 -> assertEquals(expected(a, value), Masking.text(new FieldAction.Hmac("a"), value, keys));
                case 1 -> assertEquals(expected(b, value), Masking.text(new FieldAction.Hmac("b"), value, keys));
                case 2 -> assertEquals(expected(empty, value), Masking.text(new FieldAction.Hmac("e"), value, keys));
                default -> assertEquals("h:" + expected(b, value), Masking.text(new FieldAction.Hash(), value, keys));
            }
        }
    }

    @Test
    void aKeyChangedInPlaceIsNotTakenForTheOldOne() throws Exception {
        byte[] key = "mutable-key".getBytes(StandardCharsets.UTF_8);
        HmacKeys keys = name -> java.util.Optional.of(key);
        assertEquals(expected("mutable-key".getBytes(StandardCharsets.UTF_8), "x"), Masking.text(new FieldAction.Hmac("k"), "x", keys));
        key[0] = 'M';
        assertEquals(expected("Mutable-key".getBytes(StandardCharsets.UTF_8), "x"), Masking.text(new FieldAction.Hmac("k"), "x", keys));
    }
}
