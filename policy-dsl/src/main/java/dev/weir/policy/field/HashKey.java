package dev.weir.policy.field;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The deployment's key for {@code hash} masks: {@code hash} is HMAC-SHA256 under this key,
 * written {@code <id>:<hex>}, so a dictionary of likely values (e-mail addresses, phone
 * numbers) cannot reverse a pseudonym without the key, and a reader can tell which key made
 * it. Rotating means configuring a new id; values hashed under the old one keep its id.
 *
 * @param id     letters, digits, {@code _} and {@code -}: it is written before the {@code :}
 *               of every pseudonym and names the environment variable {@code WEIR_HASH_KEY_<ID>}
 * @param secret the key bytes (never printed)
 */
public record HashKey(String id, byte[] secret) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public HashKey {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a hash key id is 1 to 64 letters, digits, '_' or '-', got '" + id + "'");
        }
        if (secret == null || secret.length == 0) throw new IllegalArgumentException("hash key '" + id + "' is empty");
        secret = secret.clone();
    }

    /** Whether {@code id} may name a hash key. */
    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** {@code WEIR_HASH_KEY_<ID>}: the id upper-cased, anything but letters and digits as {@code _}. */
    public static String environmentVariable(String id) {
        return "WEIR_HASH_KEY_" + id.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Override public byte[] secret() {
        return secret.clone();
    }

    @Override public boolean equals(Object o) {
        return o instanceof HashKey k && id.equals(k.id) && Arrays.equals(secret, k.secret);
    }

    @Override public int hashCode() {
        return id.hashCode();
    }

    @Override public String toString() {
        return "HashKey[" + id + "]";
    }
}
