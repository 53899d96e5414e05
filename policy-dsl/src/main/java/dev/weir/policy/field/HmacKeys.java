package dev.weir.policy.field;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The secret keys masks use: by name for {@code hmac(key: "name")}, and the deployment's
 * {@link HashKey} for {@code hash}. Keys are deployment secrets, never part of a policy: the
 * appliance supplies them (hmac keys by default from environment variables
 * {@code WEIR_HMAC_KEY_<NAME>}, the name upper-cased with {@code -} as {@code _}; the hash key
 * from the {@code masking} block of its configuration). A policy naming an hmac key that is
 * not configured, or using {@code hash} without a hash key, does not load.
 */
@FunctionalInterface
public interface HmacKeys {

    /** The key's bytes, or empty when no such key is configured. */
    Optional<byte[]> key(String name);

    /** The key {@code hash} masks use, or empty when none is configured. */
    default Optional<HashKey> hashKey() {
        return Optional.empty();
    }

    /** No keys at all. */
    static HmacKeys none() {
        return name -> Optional.empty();
    }

    static HmacKeys of(Map<String, byte[]> keys) {
        Map<String, byte[]> copy = new HashMap<>();
        keys.forEach((k, v) -> copy.put(k, v.clone()));
        return name -> Optional.ofNullable(copy.get(name)).map(byte[]::clone);
    }

    /** {@code WEIR_HMAC_KEY_<NAME>} from the environment, as UTF-8; no hash key. */
    public static HmacKeys fromEnvironment() {
        Map<String, String> env = System.getenv();
        return name -> Optional.ofNullable(env.get(environmentVariable(name))).map(v -> v.getBytes(StandardCharsets.UTF_8));
    }

    static String environmentVariable(String name) {
        return "WEIR_HMAC_KEY_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * For tools that check or test policies without the production secrets: every name has a
     * key, SHA-256 of {@code "weir-test-key:" + name}, and the hash key is id {@code test}
     * with the key of the name {@code hash}, so results are stable across runs (and a
     * pseudonym made under it says {@code test:}, never passing for a production one).
     */
    static HmacKeys forTesting() {
        HmacKeys named = name -> Optional.of(sha256("weir-test-key:" + name));
        return named.withHashKey(new HashKey("test", sha256("weir-test-key:hash")));
    }

    /** These hmac keys, with {@code hashKey} as the key {@code hash} masks use. */
    default HmacKeys withHashKey(HashKey hashKey) {
        HmacKeys named = this;
        return new HmacKeys() {
            @Override public Optional<byte[]> key(String name) {
                return named.key(name);
            }

            @Override public Optional<HashKey> hashKey() {
                return Optional.of(hashKey);
            }
        };
    }

    /** These keys, falling back to {@code other} for names they lack and for the hash key. */
    default HmacKeys orElse(HmacKeys other) {
        HmacKeys first = this;
        return new HmacKeys() {
            @Override public Optional<byte[]> key(String name) {
                return first.key(name).or(() -> other.key(name));
            }

            @Override public Optional<HashKey> hashKey() {
                return first.hashKey().or(other::hashKey);
            }
        };
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
