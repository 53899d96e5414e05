package dev.weir.policy.field;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The secret keys {@code hmac(key: "name")} masks use, by name. Keys are deployment secrets,
 * never part of a policy: the appliance supplies them (by default from environment
 * variables {@code WEIR_HMAC_KEY_<NAME>}, the name upper-cased with {@code -} as {@code _}).
 * A policy naming a key that is not configured does not load.
 */
@FunctionalInterface
public interface HmacKeys {

    /** The key's bytes, or empty when no such key is configured. */
    Optional<byte[]> key(String name);

    /** No keys at all. */
    static HmacKeys none() {
        return name -> Optional.empty();
    }

    static HmacKeys of(Map<String, byte[]> keys) {
        Map<String, byte[]> copy = new HashMap<>();
        keys.forEach((k, v) -> copy.put(k, v.clone()));
        return name -> Optional.ofNullable(copy.get(name)).map(byte[]::clone);
    }

    /** {@code WEIR_HMAC_KEY_<NAME>} from the environment, as UTF-8. */
    public static HmacKeys fromEnvironment() {
        Map<String, String> env = System.getenv();
        return name -> Optional.ofNullable(env.get(environmentVariable(name))).map(v -> v.getBytes(StandardCharsets.UTF_8));
    }

    static String environmentVariable(String name) {
        return "WEIR_HMAC_KEY_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * For tools that check or test policies without the production secrets: every name has a
     * key, SHA-256 of {@code "weir-test-key:" + name}, so results are stable across runs.
     */
    static HmacKeys forTesting() {
        return name -> {
            try {
                return Optional.of(MessageDigest.getInstance("SHA-256")
                        .digest(("weir-test-key:" + name).getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** These keys, falling back to {@code other} for names they lack. */
    default HmacKeys orElse(HmacKeys other) {
        return name -> key(name).or(() -> other.key(name));
    }
}
