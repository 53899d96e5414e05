package dev.weir.lifecycle.call;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Idempotency keys, signatures, and failures that are failures. */
class FunctionClientTest {

    @Test
    void idempotencyKeys() {
        assertEquals("e1", FunctionClient.idempotencyKey(List.of("e1")));
        String batch = FunctionClient.idempotencyKey(List.of("e1", "e2"));
        assertEquals(64, batch.length());
        assertEquals(batch, FunctionClient.idempotencyKey(List.of("e1", "e2")), "the same batch, the same key");
        assertNotEquals(batch, FunctionClient.idempotencyKey(List.of("e2", "e1")));
        assertNotEquals(batch, FunctionClient.idempotencyKey(List.of("e1")));
    }

    @Test
    void signatureIsHmacSha256OfTimestampDotBody() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        Signature s = new Signature("Jefe");
        String data = "what do ya want for nothing?";
        assertEquals("v1=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                new SignatureOver("Jefe").raw(data.getBytes(StandardCharsets.UTF_8)));
        String v1 = s.sign(1700000000L, "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(new SignatureOver("Jefe").raw("1700000000.{}".getBytes(StandardCharsets.UTF_8)), v1);
        assertFalse(s.toString().contains("Jefe"));
    }

    /** HMAC-SHA256 of raw bytes, to check {@link Signature}'s layout against a known vector. */
    private record SignatureOver(String key) {
        String raw(byte[] data) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return "v1=" + java.util.HexFormat.of().formatHex(mac.doFinal(data));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void connectionErrorsAndMissingSecretsAreFailures() throws Exception {
        ObjectNode record = new ObjectMapper().createObjectNode().put("eventID", "e1");
        FunctionClient client = new FunctionClient(Duration.ofSeconds(2), Clock.systemUTC(), id -> new Signature("secret"));
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CallResult r = client.call(URI.create("http://127.0.0.1:" + port + "/f"), "t", "tbl", List.of(record), List.of("e1"));
        assertFalse(r.ok());
        assertEquals(0, r.status());
        assertTrue(r.error().startsWith("connection:"), r.error());
        FunctionClient unsigned = new FunctionClient(Duration.ofSeconds(2), Clock.systemUTC(), id -> null);
        assertFalse(unsigned.canSign("t"));
        assertFalse(unsigned.call(URI.create("http://127.0.0.1:" + port + "/f"), "t", "tbl", List.of(record), List.of("e1")).ok());
    }
}
