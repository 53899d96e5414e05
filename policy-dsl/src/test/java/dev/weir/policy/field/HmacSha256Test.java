package dev.weir.policy.field;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link HmacSha256} gives the JDK's HmacSHA256 bytes: keys shorter than, as long as and
 * longer than a block (hashed first), the empty key as the masks set it up (one zero byte),
 * values of every length around the block sizes at any offset, one instance used many times;
 * and RFC 4231's test case 2.
 */
class HmacSha256Test {
    @Test
    void givesTheJdksMacOnSeededKeysAndValues() throws Exception {
        Random r = new Random(4231);
        Mac jdk = Mac.getInstance("HmacSHA256");
        for (int k = 0; k < 60; k++) {
            byte[] key = new byte[k == 0 ? 0 : r.nextInt(150)];
            r.nextBytes(key);
            HmacSha256 ours = new HmacSha256(key);
            jdk.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            for (int v = 0; v < 40; v++) {
                byte[] value = new byte[r.nextInt(200)];
                r.nextBytes(value);
                int pad = r.nextInt(7);
                byte[] src = new byte[pad + value.length + r.nextInt(7)];
                System.arraycopy(value, 0, src, pad, value.length);
                byte[] out = new byte[32];
                ours.mac(src, pad, value.length, out);
                assertArrayEquals(jdk.doFinal(value), out, "key of " + key.length + " bytes, value of " + value.length);
            }
        }
    }

    @Test
    void rfc4231TestCase2() {
        byte[] out = new byte[32];
        byte[] data = "what do ya want for nothing?".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        new HmacSha256("Jefe".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).mac(data, 0, data.length, out);
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", HexFormat.of().formatHex(out));
    }
}
