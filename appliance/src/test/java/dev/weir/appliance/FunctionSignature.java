package dev.weir.appliance;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * What a trigger's function checks, written from docs/triggers.md ("Calls"), apart from weir's
 * own signer so the end-to-end tests check weir against the documented form, not against itself.
 */
final class FunctionSignature {
    private FunctionSignature() {}

    /** Whether {@code header} (X-Weir-Signature) is {@code v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}. */
    static boolean valid(String secret, String timestamp, byte[] body, String header) {
        return timestamp != null && header != null && ("v1=" + hex(secret, timestamp + ".", body)).equals(header);
    }

    private static String hex(String secret, String prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
