package dev.weir.policy.field;

import dev.weir.policy.ast.FieldAction;
import dev.weir.protocol.model.AttributeValue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Applies one field action to one attribute value. A mask must hold: what it leaves visible
 * is exactly what its name promises, never a map key, an element count or a length.
 * <ul>
 *   <li>{@code show}: the value unchanged. {@code null}: a NULL value (so a NULL shows that the
 *       attribute is present).</li>
 *   <li>{@code show_first(n)} / {@code show_last(n)} on text: {@code ****} followed by the last n
 *       characters (code points), or the first n followed by {@code ****}, so the result is
 *       always 4 + n characters long and the value's length stays hidden
 *       ({@code "123-45-6789"} with show_last(4) → {@code "****6789"}); a text of at most n
 *       characters is not shown at all: it becomes {@code ****} and n {@code *}. On a number
 *       the hidden digits become {@code 0} and it stays a number ({@code 98123} with
 *       show_first(2) → {@code 98000}, with show_last(2) → {@code 23}); show_first on a
 *       number therefore reveals its magnitude (how many digits it has), and both keep its
 *       sign.</li>
 *   <li>{@code pattern(regex, replacement)}: every match replaced, on the value's text; what
 *       the pattern does not match stays visible.</li>
 *   <li>{@code hash}: HMAC-SHA256 under the deployment's {@link HashKey}, written
 *       {@code <key id>:<lowercase hex>} as S (of the UTF-8 text, of the raw bytes for B):
 *       equal values stay equal, and without the key no one can test a guess.
 *       {@code hmac(key: "k")}: lowercase hex HMAC-SHA256 under the named key k, as S.
 *       {@code unkeyed_sha256}: plain lowercase hex SHA-256, as S; anyone can hash a
 *       dictionary of likely values and compare, so the checker warns about it.</li>
 *   <li>{@code constant("x")}: S {@code "x"}; {@code constant(0)}: N {@code 0}.</li>
 *   <li>{@code round(step)}: a number to the nearest multiple of step (half up);
 *       {@code bucket(width)}: a number down to the start of its bucket (98000 with
 *       bucket(10000) → 90000). Both keep N; on anything but a number they yield NULL.</li>
 *   <li>Text masks on N (pattern), hash, hmac, unkeyed_sha256 and text constants on N, B and
 *       BOOL yield S: the type changes, and the checker warns when a schema says the field is
 *       a number. NULL stays NULL.</li>
 *   <li>Containers: a mask on an M, L, SS, NS or BS masks the value <em>as a whole</em>: its
 *       {@link CanonicalText} (DynamoDB JSON, map keys and set elements sorted) goes through
 *       the mask and the result is one S, or what the action yields (a constant its
 *       constant, round and bucket NULL). Neither map keys nor element counts nor element
 *       values show through. To mask each element of a list or set instead, a policy writes
 *       {@code path[*]} ({@link #applyToElements}).</li>
 * </ul>
 */
public final class Masking {
    private static final HexFormat HEX = HexFormat.of();
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    /** What show_first / show_last put where the hidden characters were, whatever their number. */
    static final String HIDDEN = "****";

    private Masking() {}

    /** {@code action} applied to {@code value} without keys (hash and hmac masks fail). */
    public static AttributeValue apply(FieldAction action, AttributeValue value) {
        return apply(action, value, HmacKeys.none());
    }

    /** {@code action} applied to {@code value}, a container as a whole; must not be {@code remove}. */
    public static AttributeValue apply(FieldAction action, AttributeValue value, HmacKeys keys) {
        return switch (action) {
            case FieldAction.Show s -> value;
            case FieldAction.Null n -> new AttributeValue.Null();
            case FieldAction.Remove r -> throw new IllegalArgumentException("remove is not a value transformation");
            default -> isContainer(value) ? whole(action, value, keys) : scalar(action, value, keys);
        };
    }

    /**
     * {@code action} applied to each element of a set separately ({@code tags[*]}). The result
     * stays a set where the type allows: SS when every masked element is a string, NS when
     * every one is a number (duplicates that masking made are merged, as a set must); NULL
     * when the action yields NULL for the elements (round on strings). Any other value is
     * masked as a whole.
     */
    public static AttributeValue applyToElements(FieldAction action, AttributeValue set, HmacKeys keys) {
        if (action instanceof FieldAction.Show) return set;
        List<AttributeValue> elements = switch (set) {
            case AttributeValue.SS ss -> ss.value().stream().<AttributeValue>map(AttributeValue.S::new).toList();
            case AttributeValue.NS ns -> ns.value().stream().<AttributeValue>map(AttributeValue.N::new).toList();
            case AttributeValue.BS bs -> bs.value().stream().<AttributeValue>map(AttributeValue.B::new).toList();
            default -> null;
        };
        if (elements == null) return apply(action, set, keys);
        if (elements.isEmpty()) return set;
        List<AttributeValue> masked = elements.stream().map(e -> apply(action, e, keys)).toList();
        if (masked.stream().allMatch(v -> v instanceof AttributeValue.S)) {
            return new AttributeValue.SS(distinct(masked.stream().map(v -> ((AttributeValue.S) v).value()).toList()));
        }
        if (masked.stream().allMatch(v -> v instanceof AttributeValue.N)) {
            return new AttributeValue.NS(distinct(masked.stream().map(v -> ((AttributeValue.N) v).value()).toList()));
        }
        return new AttributeValue.Null();
    }

    /** Whether a value is a map, list or set (which masks treat as a whole). */
    public static boolean isContainer(AttributeValue value) {
        return value instanceof AttributeValue.M || value instanceof AttributeValue.L || value instanceof AttributeValue.SS
                || value instanceof AttributeValue.NS || value instanceof AttributeValue.BS;
    }

    /** Whether an action turns a number into a number. */
    public static boolean keepsNumbers(FieldAction action) {
        return switch (action) {
            case FieldAction.MaskShowFirst f -> true;
            case FieldAction.MaskShowLast l -> true;
            case FieldAction.Round r -> true;
            case FieldAction.Bucket b -> true;
            case FieldAction.ConstantNumber c -> true;
            case FieldAction.Show s -> true;
            default -> false;
        };
    }

    /** A map, list or set masked as one value: its canonical text through the mask. */
    private static AttributeValue whole(FieldAction action, AttributeValue value, HmacKeys keys) {
        return switch (action) {
            case FieldAction.ConstantNumber c -> new AttributeValue.N(c.value().toPlainString());
            case FieldAction.Constant c -> new AttributeValue.S(c.text());
            case FieldAction.Round r -> new AttributeValue.Null();
            case FieldAction.Bucket b -> new AttributeValue.Null();
            default -> new AttributeValue.S(text(action, CanonicalText.of(value), keys));
        };
    }

    private static AttributeValue scalar(FieldAction action, AttributeValue value, HmacKeys keys) {
        if (value instanceof AttributeValue.Null) return value;
        if (action instanceof FieldAction.ConstantNumber c) return new AttributeValue.N(c.value().toPlainString());
        boolean numeric = action instanceof FieldAction.Round || action instanceof FieldAction.Bucket;
        return switch (value) {
            case AttributeValue.S s -> numeric ? new AttributeValue.Null() : new AttributeValue.S(text(action, s.value(), keys));
            case AttributeValue.N n -> keepsNumbers(action) ? number(action, n.value())
                    : new AttributeValue.S(text(action, n.value(), keys));
            case AttributeValue.B b -> numeric ? new AttributeValue.Null() : new AttributeValue.S(bytes(action, b.value(), keys));
            case AttributeValue.Bool b -> numeric ? new AttributeValue.Null()
                    : new AttributeValue.S(text(action, String.valueOf(b.value()), keys));
            default -> throw new IllegalArgumentException("not a scalar: " + value.typeTag());
        };
    }

    private static AttributeValue number(FieldAction action, String digits) {
        BigDecimal n;
        try {
            n = new BigDecimal(digits);
        } catch (NumberFormatException e) {
            return new AttributeValue.Null();
        }
        BigDecimal out = switch (action) {
            case FieldAction.Round r -> n.divide(r.step(), 0, RoundingMode.HALF_UP).multiply(r.step());
            case FieldAction.Bucket b -> n.divide(b.width(), 0, RoundingMode.FLOOR).multiply(b.width());
            case FieldAction.MaskShowFirst f -> new BigDecimal(zeroDigits(digits, f.n(), true));
            case FieldAction.MaskShowLast l -> new BigDecimal(zeroDigits(digits, l.n(), false));
            default -> n;
        };
        return new AttributeValue.N(out.toPlainString());
    }

    /** Every digit but the first / last n replaced by 0; sign, point and exponent kept. */
    private static String zeroDigits(String number, int n, boolean first) {
        String plain = new BigDecimal(number).toPlainString();
        int digits = 0;
        for (int i = 0; i < plain.length(); i++) if (Character.isDigit(plain.charAt(i))) digits++;
        StringBuilder out = new StringBuilder(plain.length());
        int seen = 0;
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (!Character.isDigit(c)) {
                out.append(c);
                continue;
            }
            boolean shown = first ? seen < n : seen >= digits - n;
            out.append(shown ? c : '0');
            seen++;
        }
        return out.toString();
    }

    private static String bytes(FieldAction action, AttributeValue.Bytes b, HmacKeys keys) {
        return switch (action) {
            case FieldAction.Hash h -> keyedHash(b.toArray(), keys);
            case FieldAction.UnkeyedSha256 u -> sha256Hex(b.toArray());
            case FieldAction.Hmac h -> hmacHex(h.key(), b.toArray(), keys);
            default -> text(action, b.base64(), keys);
        };
    }

    /** The masked form of a text. */
    public static String text(FieldAction action, String value, HmacKeys keys) {
        return switch (action) {
            case FieldAction.Hash h -> keyedHash(value.getBytes(StandardCharsets.UTF_8), keys);
            case FieldAction.UnkeyedSha256 u -> sha256Hex(value.getBytes(StandardCharsets.UTF_8));
            case FieldAction.Hmac h -> hmacHex(h.key(), value.getBytes(StandardCharsets.UTF_8), keys);
            case FieldAction.Constant c -> c.text();
            case FieldAction.ConstantNumber c -> c.value().toPlainString();
            case FieldAction.MaskShowFirst f -> keep(value, f.n(), true);
            case FieldAction.MaskShowLast l -> keep(value, l.n(), false);
            case FieldAction.Pattern p -> PATTERNS.computeIfAbsent(p.regex(), Pattern::compile).matcher(value).replaceAll(p.replacement());
            case FieldAction.Round r -> value;
            case FieldAction.Bucket b -> value;
            case FieldAction.Show s -> value;
            case FieldAction.Null n -> value;
            case FieldAction.Remove r -> value;
        };
    }

    /**
     * {@code ****} and the first / last n code points: always 4 + n characters, so the length
     * of the value does not show; a value of at most n code points is not shown at all.
     */
    private static String keep(String value, int n, boolean first) {
        int count = value.codePointCount(0, value.length());
        if (count <= n) return HIDDEN + "*".repeat(n);
        if (n == 0) return HIDDEN;
        String shown = first ? value.substring(0, value.offsetByCodePoints(0, n))
                : value.substring(value.offsetByCodePoints(0, count - n));
        return first ? shown + HIDDEN : HIDDEN + shown;
    }

    /** Per-thread engines: looking one up costs more than hashing a field value. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    });
    private static final ThreadLocal<KeyedMac> HMAC = ThreadLocal.withInitial(KeyedMac::new);

    /**
     * A thread's HMAC engine and the key it was last set up with: setting up the key (its two
     * padded blocks hashed) cost as much as hashing a short value, and a page's hashes are
     * nearly always under one key. {@link Mac#doFinal} leaves the engine set up with its key.
     */
    private static final class KeyedMac {
        final Mac mac;
        byte[] key;

        KeyedMac() {
            try {
                mac = Mac.getInstance("HmacSHA256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
            }
        }

        Mac under(byte[] key) throws GeneralSecurityException {
            if (this.key == null || !MessageDigest.isEqual(this.key, key)) {
                this.key = null;
                mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
                this.key = key.clone();
            }
            return mac;
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(SHA256.get().digest(bytes));
    }

    /** {@code <key id>:<hex HMAC-SHA256>} under the deployment's hash key. */
    static String keyedHash(byte[] bytes, HmacKeys keys) {
        HashKey key = hashKey(keys);
        return key.id() + ":" + hmacHex(key.secret(), bytes);
    }

    static String hmacHex(String keyName, byte[] bytes, HmacKeys keys) {
        return hmacHex(hmacKey(keyName, keys), bytes);
    }

    private static String hmacHex(byte[] key, byte[] bytes) {
        try {
            return HEX.formatHex(HMAC.get().under(key).doFinal(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    /** SHA-256 of {@code length} bytes at {@code from}, into {@code out[0..32)}, on the thread's engine. */
    static void sha256Into(byte[] src, int from, int length, byte[] out) {
        MessageDigest sha = SHA256.get();
        sha.update(src, from, length);
        try {
            sha.digest(out, 0, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 gives 32 bytes", e);
        }
    }

    /** The deployment's hash key, or the failure {@code hash} reports without one. */
    static HashKey hashKey(HmacKeys keys) {
        return keys.hashKey().orElseThrow(() -> new IllegalStateException(
                "hash needs the deployment's hash key, and none is configured (masking.hash_key_id)"));
    }

    /** The named hmac key, or the failure {@code hmac} reports without it. */
    static byte[] hmacKey(String keyName, HmacKeys keys) {
        return keys.key(keyName).orElseThrow(() -> new IllegalStateException("hmac key '" + keyName + "' is not configured"));
    }

    private static List<String> distinct(List<String> values) {
        return new ArrayList<>(new LinkedHashSet<>(values));
    }
}
