package dev.weir.proxy.redact;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.weir.protocol.model.AttributeValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes single DynamoDB JSON attribute values straight from and to bytes, for
 * the few values a response rewrite has to change. Anything that is not exactly one typed
 * value is an {@link IOException}: the response is then withheld, never passed on.
 */
final class ValueCodec {
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    private ValueCodec() {}

    /** Reads one attribute value such as {@code {"S":"x"}} at the cursor. */
    static AttributeValue read(JsonCursor c) throws IOException {
        c.expect('{');
        String type = c.readString();
        c.expect(':');
        AttributeValue v = switch (type) {
            case "S" -> new AttributeValue.S(c.readString());
            case "N" -> new AttributeValue.N(c.readString());
            case "B" -> new AttributeValue.B(bytes(c.readString()));
            case "BOOL" -> new AttributeValue.Bool(literal(c));
            case "NULL" -> {
                if (!literal(c)) throw new IOException("NULL must be true");
                yield new AttributeValue.Null();
            }
            case "M" -> new AttributeValue.M(map(c));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                c.expect('[');
                if (c.peek() != ']') {
                    do list.add(read(c)); while (c.comma());
                }
                c.expect(']');
                yield new AttributeValue.L(list);
            }
            case "SS" -> new AttributeValue.SS(strings(c));
            case "NS" -> new AttributeValue.NS(strings(c));
            case "BS" -> {
                List<AttributeValue.Bytes> list = new ArrayList<>();
                for (String s : strings(c)) list.add(bytes(s));
                yield new AttributeValue.BS(list);
            }
            default -> throw new IOException("unknown attribute value type");
        };
        c.expect('}');
        return v;
    }

    /** Reads the item (object of attribute values) that starts at {@code offset}. */
    static Map<String, AttributeValue> mapAt(byte[] body, int offset) throws IOException {
        JsonCursor c = new JsonCursor(body);
        c.pos = offset;
        return map(c);
    }

    static Map<String, AttributeValue> map(JsonCursor c) throws IOException {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        c.expect('{');
        if (c.peek() != '}') {
            do {
                String name = c.readString();
                c.expect(':');
                m.put(name, read(c));
            } while (c.comma());
        }
        c.expect('}');
        return m;
    }

    private static List<String> strings(JsonCursor c) throws IOException {
        List<String> out = new ArrayList<>();
        c.expect('[');
        if (c.peek() != ']') {
            do out.add(c.readString()); while (c.comma());
        }
        c.expect(']');
        return out;
    }

    private static boolean literal(JsonCursor c) throws IOException {
        byte first = c.peek();
        int start = c.pos;
        int end = c.skipValue();
        int n = end - start;
        if (first == 't' && n == 4) return true;
        if (first == 'f' && n == 5) return false;
        throw new IOException("expected true or false");
    }

    private static AttributeValue.Bytes bytes(String base64) throws IOException {
        try {
            return AttributeValue.Bytes.ofBase64(base64);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad base64");
        }
    }

    /** Writes {@code "name":value}. */
    static void writeMember(String name, AttributeValue v, ByteSink out) {
        string(name, out);
        out.write((byte) ':');
        write(v, out);
    }

    static void write(AttributeValue value, ByteSink out) {
        out.write((byte) '{');
        string(value.typeTag(), out);
        out.write((byte) ':');
        switch (value) {
            case AttributeValue.S s -> string(s.value(), out);
            case AttributeValue.N n -> string(n.value(), out);
            case AttributeValue.B b -> string(b.value().base64(), out);
            case AttributeValue.Bool b -> out.write(b.value() ? TRUE : FALSE);
            case AttributeValue.Null ignored -> out.write(TRUE);
            case AttributeValue.M m -> {
                out.write((byte) '{');
                boolean first = true;
                for (Map.Entry<String, AttributeValue> e : m.value().entrySet()) {
                    if (!first) out.write((byte) ',');
                    first = false;
                    writeMember(e.getKey(), e.getValue(), out);
                }
                out.write((byte) '}');
            }
            case AttributeValue.L l -> {
                out.write((byte) '[');
                for (int i = 0; i < l.value().size(); i++) {
                    if (i > 0) out.write((byte) ',');
                    write(l.value().get(i), out);
                }
                out.write((byte) ']');
            }
            case AttributeValue.SS ss -> strings(ss.value(), out);
            case AttributeValue.NS ns -> strings(ns.value(), out);
            case AttributeValue.BS bs -> {
                out.write((byte) '[');
                for (int i = 0; i < bs.value().size(); i++) {
                    if (i > 0) out.write((byte) ',');
                    string(bs.value().get(i).base64(), out);
                }
                out.write((byte) ']');
            }
        }
        out.write((byte) '}');
    }

    private static void strings(List<String> values, ByteSink out) {
        out.write((byte) '[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) out.write((byte) ',');
            string(values.get(i), out);
        }
        out.write((byte) ']');
    }

    static void string(String s, ByteSink out) {
        out.write((byte) '"');
        out.write(ESCAPE.quoteAsUTF8(s));
        out.write((byte) '"');
    }
}
