package dev.weir.policy.field;

import dev.weir.policy.ast.FieldAction;
import dev.weir.protocol.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Applies one field action to one attribute value.
 * <ul>
 *   <li>{@code show}: the value unchanged. {@code null}: a NULL value.</li>
 *   <li>{@code show_first(n)} / {@code show_last(n)}: every character (code point) except the
 *       first / last n becomes {@code *}; a string of at most n characters is unchanged.
 *       On S the result is S ({@code "123-45-6789"} → {@code "*******6789"}).</li>
 *   <li>{@code hash}: lowercase hex SHA-256 of the value's UTF-8 text (of the raw bytes for
 *       B), as S.</li>
 *   <li>{@code constant("x")}: S {@code "x"}.</li>
 *   <li>N, B and BOOL are masked as their text (a number's digits as sent, a binary's
 *       base64, {@code true}/{@code false}), and the result is an S: a masked number is no
 *       longer a number. NULL stays NULL.</li>
 *   <li>Containers: a mask on M or L applies to every value inside, recursively. On SS, NS
 *       and BS it applies to every element and the result is an SS, with duplicates that
 *       masking created dropped (a set has no duplicates).</li>
 * </ul>
 */
public final class Masking {
    private static final HexFormat HEX = HexFormat.of();

    private Masking() {}

    /** {@code action} applied to {@code value}; must not be {@code remove}. */
    public static AttributeValue apply(FieldAction action, AttributeValue value) {
        return switch (action) {
            case FieldAction.Show s -> value;
            case FieldAction.Null n -> new AttributeValue.Null();
            case FieldAction.Remove r -> throw new IllegalArgumentException("remove is not a value transformation");
            default -> mask(action, value);
        };
    }

    private static AttributeValue mask(FieldAction action, AttributeValue value) {
        return switch (value) {
            case AttributeValue.S s -> new AttributeValue.S(text(action, s.value()));
            case AttributeValue.N n -> new AttributeValue.S(text(action, n.value()));
            case AttributeValue.B b -> new AttributeValue.S(bytes(action, b.value()));
            case AttributeValue.Bool b -> new AttributeValue.S(text(action, String.valueOf(b.value())));
            case AttributeValue.Null n -> n;
            case AttributeValue.M m -> {
                Map<String, AttributeValue> out = new LinkedHashMap<>();
                m.value().forEach((k, v) -> out.put(k, mask(action, v)));
                yield new AttributeValue.M(out);
            }
            case AttributeValue.L l -> new AttributeValue.L(l.value().stream().map(v -> mask(action, v)).toList());
            case AttributeValue.SS ss -> new AttributeValue.SS(distinct(ss.value().stream().map(v -> text(action, v)).toList()));
            case AttributeValue.NS ns -> new AttributeValue.SS(distinct(ns.value().stream().map(v -> text(action, v)).toList()));
            case AttributeValue.BS bs -> new AttributeValue.SS(distinct(bs.value().stream().map(v -> bytes(action, v)).toList()));
        };
    }

    private static String bytes(FieldAction action, AttributeValue.Bytes b) {
        return action instanceof FieldAction.Hash ? sha256Hex(b.toArray()) : text(action, b.base64());
    }

    /** The masked form of a text. */
    public static String text(FieldAction action, String value) {
        return switch (action) {
            case FieldAction.Hash h -> sha256Hex(value.getBytes(StandardCharsets.UTF_8));
            case FieldAction.Constant c -> c.text();
            case FieldAction.MaskShowFirst f -> keep(value, f.n(), true);
            case FieldAction.MaskShowLast l -> keep(value, l.n(), false);
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

    static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static List<String> distinct(List<String> values) {
        return new ArrayList<>(new LinkedHashSet<>(values));
    }
}
