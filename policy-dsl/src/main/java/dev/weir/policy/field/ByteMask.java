package dev.weir.policy.field;

import dev.weir.policy.ast.FieldAction;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueBytes;

import java.nio.charset.StandardCharsets;

/**
 * A {@link ValueRule.Masked} applied to the bytes of an S or N value, for a reader that has
 * them and should not decode them: the digests ({@code hash}, {@code hmac},
 * {@code unkeyed_sha256}) over the text's UTF-8 as it lies in the page (the HMACs with their
 * key's pads worked out once, {@link HmacSha256}), written as hex straight into the answer; {@code show_first} / {@code show_last} of an S as the bytes of
 * the characters it keeps; the constants. What it writes is byte for byte what
 * {@link AttributeValueBytes#value} writes for {@link Masking#apply}'s result (ByteMaskTest
 * and the proxy's OnePassPageTest compare them). Other masks and kinds are left to the caller
 * ({@link #write} says false): it decodes the value and applies the rule.
 *
 * <p>The text must be one JSON writes as it is: strict UTF-8 with no character JSON escapes
 * and no four-byte form (the proxy's canonical values). Keys are looked up on first use, as
 * {@link Masking} looks them up, so a missing key fails the same way and only when a value is
 * masked. One read's (not shared between threads).
 */
public final class ByteMask {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] S = "{\"S\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HIDDEN = Masking.HIDDEN.getBytes(StandardCharsets.US_ASCII);

    private final FieldAction action;
    private final HmacKeys keys;
    private final AttributeValue constant;
    /** The HMAC a digest is made with (null: unkeyed or its key not looked up yet), and the hash key's {@code id:}. */
    private HmacSha256 hmac;
    private byte[] prefix;
    private final byte[] digest = new byte[32];
    private final byte[] hex = new byte[64];

    private ByteMask(FieldAction action, HmacKeys keys, AttributeValue constant) {
        this.action = action;
        this.keys = keys;
        this.constant = constant;
    }

    /** The byte form of a mask, or null when it has none (the caller decodes and {@link ValueRule.Masked#apply applies}). */
    public static ByteMask of(ValueRule.Masked masked) {
        return switch (masked.action()) {
            case FieldAction.Hash h -> new ByteMask(h, masked.keys(), null);
            case FieldAction.Hmac h -> new ByteMask(h, masked.keys(), null);
            case FieldAction.UnkeyedSha256 u -> new ByteMask(u, masked.keys(), null);
            case FieldAction.MaskShowFirst f -> new ByteMask(f, masked.keys(), null);
            case FieldAction.MaskShowLast l -> new ByteMask(l, masked.keys(), null);
            case FieldAction.Constant c -> new ByteMask(c, masked.keys(), new AttributeValue.S(c.text()));
            case FieldAction.ConstantNumber c -> new ByteMask(c, masked.keys(), new AttributeValue.N(c.value().toPlainString()));
            default -> null;
        };
    }

    /**
     * Writes the masked form of the S ({@code type} 'S') or N ({@code type} 'N') whose text's
     * UTF-8 is {@code src[from, to)}, as {@code out.value(Masking.apply(action, value))} would;
     * false, writing nothing, when this mask is not done on the bytes for that kind.
     */
    public boolean write(char type, byte[] src, int from, int to, AttributeValueBytes out) {
        if (type != 'S' && type != 'N') return false;
        switch (action) {
            case FieldAction.Constant c -> out.value(constant);
            case FieldAction.ConstantNumber c -> out.value(constant);
            case FieldAction.Hash h -> {
                if (hmac == null) {
                    HashKey k = Masking.hashKey(keys);
                    prefix = (k.id() + ":").getBytes(StandardCharsets.US_ASCII);
                    hmac = new HmacSha256(k.secret());
                }
                hmac.mac(src, from, to - from, digest);
                hex(out, prefix);
            }
            case FieldAction.Hmac h -> {
                if (hmac == null) hmac = new HmacSha256(Masking.hmacKey(h.key(), keys));
                hmac.mac(src, from, to - from, digest);
                hex(out, null);
            }
            case FieldAction.UnkeyedSha256 u -> {
                Masking.sha256Into(src, from, to - from, digest);
                hex(out, null);
            }
            case FieldAction.MaskShowFirst f -> {
                if (type != 'S') return false; // a number stays a number: decoded
                keep(src, from, to, f.n(), true, out);
            }
            case FieldAction.MaskShowLast l -> {
                if (type != 'S') return false;
                keep(src, from, to, l.n(), false, out);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** {@code {"S":"<prefix><hex of the digest>"}}. */
    private void hex(AttributeValueBytes out, byte[] prefix) {
        for (int i = 0; i < 32; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        out.raw(S, 0, S.length);
        if (prefix != null) out.raw(prefix, 0, prefix.length);
        out.raw(hex, 0, 64);
        out.writeByte('"');
        out.writeByte('}');
    }

    /**
     * {@code Masking.keep} on UTF-8: {@code ****} and the first / last n code points (a code
     * point is a byte that does not continue one), or {@code ****} and n {@code *} for a text
     * of at most n code points.
     */
    private static void keep(byte[] src, int from, int to, int n, boolean first, AttributeValueBytes out) {
        int count = 0;
        for (int i = from; i < to; i++) if ((src[i] & 0xC0) != 0x80) count++;
        out.raw(S, 0, S.length);
        if (count <= n) {
            out.raw(HIDDEN, 0, HIDDEN.length);
            for (int i = 0; i < n; i++) out.writeByte('*');
        } else if (n == 0) {
            out.raw(HIDDEN, 0, HIDDEN.length);
        } else if (first) {
            int end = from;
            for (int seen = 0; end < to; end++) {
                if ((src[end] & 0xC0) != 0x80 && seen++ == n) break;
            }
            out.raw(src, from, end - from);
            out.raw(HIDDEN, 0, HIDDEN.length);
        } else {
            int start = to;
            for (int seen = 0; seen < n; ) {
                start--;
                if ((src[start] & 0xC0) != 0x80) seen++;
            }
            out.raw(HIDDEN, 0, HIDDEN.length);
            out.raw(src, start, to - start);
        }
        out.writeByte('"');
        out.writeByte('}');
    }
}
