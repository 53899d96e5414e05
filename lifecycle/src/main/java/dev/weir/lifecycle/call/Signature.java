package dev.weir.lifecycle.call;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * {@code X-Weir-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}: a function
 * checks that a call came from weir and was not replayed long after ({@code X-Weir-Timestamp},
 * epoch seconds). The secret is never logged nor shown by {@link #toString()}.
 */
public final class Signature {
    private final byte[] secret;

    public Signature(String secret) {
        if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("an empty signing secret");
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The header value for a body sent at {@code timestamp}. */
    public String sign(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            mac.update(body);
            return "v1=" + HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    @Override public String toString() {
        return "Signature[secret hidden]";
    }
}
