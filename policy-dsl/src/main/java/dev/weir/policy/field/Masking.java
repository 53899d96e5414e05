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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Applies one field action to one attribute value. Masks keep the type where they can.
 * <ul>
 *   <li>{@code show}: the value unchanged. {@code null}: a NULL value.</li>
 *   <li>{@code show_first(n)} / {@code show_last(n)}: every character (code point) except the
 *       first / last n becomes {@code *}; a string of at most n characters is unchanged
 *       ({@code "123-45-6789"} → {@code "*******6789"}). On a number the hidden digits become
 *       {@code 0} and it stays a number ({@code 98123} with show_first(2) → {@code 98000}).</li>
 *   <li>{@code pattern(regex, replacement)}: every match replaced, on the value's text.</li>
 *   <li>{@code hash}: lowercase hex SHA-256 of the value's UTF-8 text (of the raw bytes for B),
 *       as S. {@code hmac(key: "k")}: lowercase hex HMAC-SHA256 under key k, as S: equal
 *       values stay equal, so joins still work, but without the key no one can test a guess.</li>
 *   <li>{@code constant("x")}: S {@code "x"}; {@code constant(0)}: N {@code 0}.</li>
 *   <li>{@code round(step)}: a number to the nearest multiple of step (half up);
 *       {@code bucket(width)}: a number down to the start of its bucket (98000 with
 *       bucket(10000) → 90000). Both keep N; on anything but a number they yield NULL.</li>
 *   <li>Text masks on N (pattern), hash, hmac and text constants on N, B and BOOL yield S:
 *       the type changes, and the checker warns when a schema says the field is a number.
 *       NULL stays NULL.</li>
 *   <li>Containers: a mask on M or L applies to every value inside, recursively; on SS, NS
 *       and BS to every element, with duplicates that masking created dropped. NS stays NS
 *       under masks that keep numbers; otherwise sets become SS.</li>
 * </ul>
 */
public final class Masking {
    private static final HexFormat HEX = HexFormat.of();
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private Masking() {}

    /** {@code action} applied to {@code value} without hmac keys. */
    public static AttributeValue apply(FieldAction action, AttributeValue value) {
        return apply(action, value, HmacKeys.none());
    }

    /** {@code action} applied to {@code value}; must not be {@code remove}. */
    public static AttributeValue apply(FieldAction action, AttributeValue value, HmacKeys keys) {
        return switch (action) {
            case FieldAction.Show s -> value;
            case FieldAction.Null n -> new AttributeValue.Null();
            case FieldAction.Remove r -> throw new IllegalArgumentException("remove is not a value transformation");
            default -> mask(action, value, keys);
        };
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

    private static AttributeValue mask(FieldAction action, AttributeValue value, HmacKeys keys) {
        if (action instanceof FieldAction.ConstantNumber c && !(value instanceof AttributeValue.M || value instanceof AttributeValue.L)) {
            return value instanceof AttributeValue.Null ? value : new AttributeValue.N(c.value().toPlainString());
        }
        boolean numeric = action instanceof FieldAction.Round || action instanceof FieldAction.Bucket;
        return switch (value) {
            case AttributeValue.S s -> numeric ? new AttributeValue.Null() : new AttributeValue.S(text(action, s.value(), keys));
            case AttributeValue.N n -> keepsNumbers(action) ? number(action, n.value())
                    : new AttributeValue.S(text(action, n.value(), keys));
            case AttributeValue.B b -> numeric ? new AttributeValue.Null() : new AttributeValue.S(bytes(action, b.value(), keys));
            case AttributeValue.Bool b -> numeric ? new AttributeValue.Null()
                    : new AttributeValue.S(text(action, String.valueOf(b.value()), keys));
            case AttributeValue.Null n -> n;
            case AttributeValue.M m -> {
                Map<String, AttributeValue> out = new LinkedHashMap<>();
                m.value().forEach((k, v) -> out.put(k, mask(action, v, keys)));
                yield new AttributeValue.M(out);
            }
            case AttributeValue.L l -> new AttributeValue.L(l.value().stream().map(v -> mask(action, v, keys)).toList());
            case AttributeValue.SS ss -> numeric ? new AttributeValue.Null()
                    : new AttributeValue.SS(distinct(ss.value().stream().map(v -> text(action, v, keys)).toList()));
            case AttributeValue.NS ns -> keepsNumbers(action)
                    ? new AttributeValue.NS(distinct(ns.value().stream().map(v -> ((AttributeValue.N) number(action, v)).value()).toList()))
                    : new AttributeValue.SS(distinct(ns.value().stream().map(v -> text(action, v, keys)).toList()));
            case AttributeValue.BS bs -> numeric ? new AttributeValue.Null()
                    : new AttributeValue.SS(distinct(bs.value().stream().map(v -> bytes(action, v, keys)).toList()));
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
            case FieldAction.Hash h -> sha256Hex(b.toArray());
            case FieldAction.Hmac h -> hmacHex(h.key(), b.toArray(), keys);
            default -> text(action, b.base64(), keys);
        };
    }

    /** The masked form of a text without hmac keys. */
    public static String text(FieldAction action, String value) {
        return text(action, value, HmacKeys.none());
    }

    /** The masked form of a text. */
    public static String text(FieldAction action, String value, HmacKeys keys) {
        return switch (action) {
            case FieldAction.Hash h -> sha256Hex(value.getBytes(StandardCharsets.UTF_8));
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

    private static String keep(String value, int n, boolean first) {
        int[] cps = value.codePoints().toArray();
        if (cps.length <= n) return value;
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < cps.length; i++) {
            boolean shown = first ? i < n : i >= cps.length - n;
            if (shown) out.appendCodePoint(cps[i]);
            else out.append('*');
        }
        return out.toString();
    }

    /** Per-thread engines: looking one up costs more than hashing a field value. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    });
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    });

    static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(SHA256.get().digest(bytes));
    }

    static String hmacHex(String keyName, byte[] bytes, HmacKeys keys) {
        byte[] key = keys.key(keyName).orElseThrow(() -> new IllegalStateException("hmac key '" + keyName + "' is not configured"));
        try {
            Mac mac = HMAC.get();
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return HEX.formatHex(mac.doFinal(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    private static List<String> distinct(List<String> values) {
        return new ArrayList<>(new LinkedHashSet<>(values));
    }
}
