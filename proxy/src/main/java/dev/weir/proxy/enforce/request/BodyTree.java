package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.wire.Utf8;

import java.nio.charset.StandardCharsets;

/**
 * Reads a request body's bytes straight into Jackson's tree, in one pass, or declines.
 *
 * <p>weir's request reader ({@link RequestJson}) goes through Jackson's reader-based parser
 * (bytes decoded to characters, then tokens, then the tree), since Jackson's byte parser keeps
 * the names it reads. This reader makes the same tree from the bytes themselves: names and
 * text as {@code String}s made from their bytes, objects and arrays as Jackson's nodes. It
 * reads only what it is sure of and declines ({@code null}) everything else, which
 * {@link RequestJson} then reads as before, so the refusals and their words do not change:
 * a body that is not strict UTF-8, a byte-order mark, a member named twice, content after
 * the object, anything JSON does not allow, numbers with a fraction or an exponent or more
 * than 18 digits, a surrogate written as an escape, names longer than {@link #MAX_NAME_BYTES}, nesting deeper than
 * {@link #MAX_DEPTH}. What it accepts, Jackson accepts with an equal tree, node for node
 * ({@code BodyTreeTest} and the request-decoder fuzz target hold it to that).
 */
public final class BodyTree {
    /** Deeper than any request DynamoDB takes (attribute values nest 32 levels) plus its structure. */
    static final int MAX_DEPTH = 48;
    /** A name longer than this goes to Jackson, whose limit and message apply. */
    static final int MAX_NAME_BYTES = 65_536;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final byte[] b;
    private int i;

    private BodyTree(byte[] body) {
        this.b = body;
    }

    /** The body's object, or {@code null} when this reader declines it (see the class comment). */
    public static ObjectNode read(byte[] body) {
        if (!Utf8.isStrict(body)) return null;
        BodyTree r = new BodyTree(body);
        try {
            r.space();
            if (r.i >= body.length || body[r.i] != '{') return null;
            r.i++;
            ObjectNode obj = r.object(1);
            if (obj == null) return null;
            r.space();
            return r.i == body.length ? obj : null;
        } catch (ArrayIndexOutOfBoundsException cutShort) {
            return null; // a body that ends inside a value: Jackson words the refusal
        }
    }

    private void space() {
        while (i < b.length) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            i++;
        }
    }

    /** The members after an object's '{', through its '}'. */
    private ObjectNode object(int depth) {
        if (depth > MAX_DEPTH) return null;
        ObjectNode obj = new ObjectNode(NODES, new ObjectMembers()); // two arrays, not a LinkedHashMap (issue 16)
        space();
        if (b[i] == '}') {
            i++;
            return obj;
        }
        while (true) {
            if (b[i] != '"') return null;
            i++;
            int from = i;
            String name = string();
            if (name == null || i - from > MAX_NAME_BYTES) return null;
            space();
            if (b[i++] != ':') return null;
            space();
            JsonNode value = value(depth);
            if (value == null || obj.replace(name, value) != null) return null;
            space();
            byte c = b[i++];
            if (c == '}') return obj;
            if (c != ',') return null;
            space();
        }
    }

    /** The elements after an array's '[', through its ']'. */
    private ArrayNode array(int depth) {
        if (depth > MAX_DEPTH) return null;
        ArrayNode list = NODES.arrayNode();
        space();
        if (b[i] == ']') {
            i++;
            return list;
        }
        while (true) {
            JsonNode value = value(depth);
            if (value == null) return null;
            list.add(value);
            space();
            byte c = b[i++];
            if (c == ']') return list;
            if (c != ',') return null;
            space();
        }
    }

    private JsonNode value(int depth) {
        byte c = b[i];
        switch (c) {
            case '"' -> {
                i++;
                String text = string();
                return text == null ? null : NODES.textNode(text);
            }
            case '{' -> {
                i++;
                return object(depth + 1);
            }
            case '[' -> {
                i++;
                return array(depth + 1);
            }
            case 't' -> {
                return word("true") ? BooleanNode.TRUE : null;
            }
            case 'f' -> {
                return word("false") ? BooleanNode.FALSE : null;
            }
            case 'n' -> {
                return word("null") ? NullNode.instance : null;
            }
            default -> {
                return c == '-' || (c >= '0' && c <= '9') ? integer() : null;
            }
        }
    }

    /** A literal, which must end where a value may end. */
    private boolean word(String literal) {
        int n = literal.length();
        if (i + n > b.length) return false;
        for (int k = 0; k < n; k++) {
            if (b[i + k] != literal.charAt(k)) return false;
        }
        i += n;
        return ends();
    }

    /** Whether the value just read ends here: at the end, a space, or a separator. */
    private boolean ends() {
        if (i == b.length) return true;
        byte c = b[i];
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /**
     * An integer of up to 18 digits, as Jackson's tree holds it: an {@code int} when it fits,
     * else a {@code long}. A fraction, an exponent, a leading zero before a digit or a longer
     * number is declined.
     */
    private JsonNode integer() {
        boolean negative = b[i] == '-';
        if (negative) i++;
        int from = i;
        long value = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            value = value * 10 + (b[i] - '0');
            i++;
            if (i - from > 18) return null;
        }
        int digits = i - from;
        if (digits == 0 || (digits > 1 && b[from] == '0') || !ends()) return null;
        if (negative) value = -value;
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    /** A string's text after its opening quote, through its closing quote; null if it has a control character or a bad escape. */
    private String string() {
        int from = i;
        boolean ascii = true;
        while (true) {
            byte c = b[i];
            if (c == '"') {
                String s = new String(b, from, i - from, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
                i++;
                return s;
            }
            if (c == '\\') return escaped(from);
            if (c >= 0 && c < 0x20) return null;
            if (c < 0) ascii = false;
            i++;
        }
    }

    /** The rest of a string that has an escape at {@code i}; its text from {@code from}. */
    private String escaped(int from) {
        StringBuilder sb = new StringBuilder(i - from + 16);
        int run = from;
        while (true) {
            byte c = b[i];
            if (c == '"') {
                sb.append(new String(b, run, i - run, StandardCharsets.UTF_8));
                i++;
                return sb.toString();
            }
            if (c >= 0 && c < 0x20) return null;
            if (c != '\\') {
                i++;
                continue;
            }
            sb.append(new String(b, run, i - run, StandardCharsets.UTF_8));
            char decoded;
            switch (b[i + 1]) {
                case '"' -> decoded = '"';
                case '\\' -> decoded = '\\';
                case '/' -> decoded = '/';
                case 'b' -> decoded = '\b';
                case 'f' -> decoded = '\f';
                case 'n' -> decoded = '\n';
                case 'r' -> decoded = '\r';
                case 't' -> decoded = '\t';
                case 'u' -> {
                    int code = 0;
                    for (int k = 2; k < 6; k++) {
                        int d = Character.digit(b[i + k], 16);
                        if (d < 0 || b[i + k] < 0) return null;
                        code = code * 16 + d;
                    }
                    // Jackson refuses a lone surrogate and pairs them; both are left to it.
                    if (Character.isSurrogate((char) code)) return null;
                    i += 4;
                    decoded = (char) code;
                }
                default -> {
                    return null;
                }
            }
            sb.append(decoded);
            i += 2;
            run = i;
        }
    }
}
