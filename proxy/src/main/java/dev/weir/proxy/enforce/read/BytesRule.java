package dev.weir.proxy.enforce.read;

import dev.weir.policy.field.ByteMask;
import dev.weir.policy.field.ValueRule;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueBytes;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A {@link ValueRule} followed on a canonical value's bytes ({@link ScannedPage#canonical}):
 * a map's entries copied or skipped by their keys' bytes (a canonical map has no key twice
 * and no key with an escape, so the bytes are the key), masks done on the bytes where
 * {@link ByteMask} can, or on the value decoded where it cannot. Writes what
 * {@code out.member(name, view.show(item).get(name))} writes. Where the rule leaves the value
 * to {@code redact} ({@link ValueRule.Redacted}) it says so ({@link #member} returns false)
 * and the caller forgets what was written and redacts the decoded member, as before. One
 * read's (its masks keep their keys and buffers): not shared between threads.
 */
final class BytesRule {
    private static final byte[] M = "{\"M\":{".getBytes(StandardCharsets.US_ASCII);

    private sealed interface Node {}

    private record Shown() implements Node {}

    private record Removed() implements Node {}

    private record Left() implements Node {}

    private record Masked(ValueRule.Masked rule, ByteMask bytes) implements Node {}

    /** The named keys' UTF-8, their rules at the same index, and the rule of every other key. */
    private record Entries(byte[][] keys, Node[] rules, Node others) implements Node {
        Node entry(byte[] b, int at, int length) {
            for (int i = 0; i < keys.length; i++) {
                byte[] k = keys[i];
                if (k.length == length && java.util.Arrays.equals(k, 0, length, b, at, at + length)) return rules[i];
            }
            return others;
        }
    }

    private record ByKind(Node scalars, Node maps, Node others) implements Node {}

    private static final Node SHOWN = new Shown();
    private static final Node REMOVED = new Removed();
    private static final Node LEFT = new Left();

    private final Node root;

    private BytesRule(Node root) {
        this.root = root;
    }

    /** The rule compiled for bytes. */
    static BytesRule of(ValueRule rule) {
        return new BytesRule(compile(rule));
    }

    private static Node compile(ValueRule rule) {
        return switch (rule) {
            case ValueRule.Shown s -> SHOWN;
            case ValueRule.Removed r -> REMOVED;
            case ValueRule.Redacted r -> LEFT;
            case ValueRule.Masked m -> new Masked(m, ByteMask.of(m));
            case ValueRule.ByKind k -> new ByKind(compile(k.scalars()), compile(k.maps()), compile(k.others()));
            case ValueRule.Entries e -> {
                byte[][] keys = new byte[e.named().size()][];
                Node[] rules = new Node[keys.length];
                int i = 0;
                for (Map.Entry<String, ValueRule> n : e.named().entrySet()) {
                    keys[i] = n.getKey().getBytes(StandardCharsets.UTF_8);
                    rules[i++] = compile(n.getValue());
                }
                yield new Entries(keys, rules, compile(e.others()));
            }
        };
    }

    /**
     * Writes the member {@code "name":value} as the rule shows it, the name's bytes at
     * {@code nameAt}, the canonical value's at {@code valueAt}; nothing when the rule removes
     * it. False when the rule leaves the value to {@code redact}: what was written is then
     * for the caller to forget.
     */
    boolean member(AttributeValueBytes out, byte[] b, int nameAt, int nameLength, int valueAt, int valueLength) {
        return member(root, out, b, nameAt, nameLength, valueAt, valueAt + valueLength);
    }

    private static boolean member(Node node, AttributeValueBytes out, byte[] b, int nameAt, int nameLength, int at, int end) {
        if (node instanceof ByKind k) node = kind(b, at) == 'M' ? k.maps : isContainer(b, at) ? k.others : k.scalars;
        switch (node) {
            case Shown s -> out.member(b, nameAt, nameLength, at, end - at);
            case Removed r -> { }
            case Left l -> {
                return false;
            }
            case Masked m -> {
                out.name(b, nameAt, nameLength);
                char kind = kind(b, at);
                // {"S":"text"} or {"N":"text"}: the text lies between at + 6 and end - 2
                if (m.bytes == null || (kind != 'S' && kind != 'N') || !m.bytes.write(kind, b, at + 6, end - 2, out)) {
                    out.value(m.rule.apply(ScannedPage.decode(b, at)));
                }
            }
            case Entries e -> {
                if (kind(b, at) != 'M') return false; // entries are a map's rule: anything else is left to redact
                out.name(b, nameAt, nameLength);
                out.raw(M, 0, M.length);
                // {"M":{ then "k":v,"k":v then }}
                int p = at + M.length;
                if (b[p] != '}') {
                    while (true) {
                        int keyAt = p + 1;
                        int keyEnd = keyAt;
                        while (b[keyEnd] != '"') keyEnd++;
                        int v = keyEnd + 2;
                        int vEnd = ScannedPage.canonicalEnd(b, v);
                        if (!member(e.entry(b, keyAt, keyEnd - keyAt), out, b, keyAt, keyEnd - keyAt, v, vEnd)) return false;
                        p = vEnd;
                        if (b[p] == '}') break;
                        p++; // ,
                    }
                }
                out.writeByte('}');
                out.writeByte('}');
            }
            case ByKind k -> throw new IllegalStateException("a kind's rule is never by kind again");
        }
        return true;
    }

    /** The first letter of a canonical value's type: S for S and SS, N for N, NS and NULL, and so on; 'M' only for M. */
    private static char kind(byte[] b, int at) {
        char c = (char) b[at + 2];
        return b[at + 3] == '"' ? c : (char) 0;
    }

    /** Whether a canonical value is an L, SS, NS or BS (a list or set). */
    private static boolean isContainer(byte[] b, int at) {
        byte c = b[at + 2];
        return c == 'L' || ((c == 'S' || c == 'N' || c == 'B') && b[at + 3] == 'S');
    }

    @Override public String toString() {
        return "BytesRule[" + root + "]";
    }
}
