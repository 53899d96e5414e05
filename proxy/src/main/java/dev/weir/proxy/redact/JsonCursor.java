package dev.weir.proxy.redact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A forward-only view of JSON bytes that finds where values start and end without building
 * anything: just enough structure to copy untouched spans and to hand the few values that
 * must change to a real parser. Malformed input is an {@link IOException}.
 */
final class JsonCursor {
    final byte[] b;
    int pos;
    private final int end;

    JsonCursor(byte[] bytes) {
        this.b = bytes;
        this.end = bytes.length;
    }

    void skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') pos++;
            else return;
        }
    }

    byte peek() throws IOException {
        skipWhitespace();
        if (pos >= end) throw new IOException("unexpected end of JSON");
        return b[pos];
    }

    void expect(char c) throws IOException {
        if (peek() != c) throw new IOException("expected '" + c + "' at " + pos);
        pos++;
    }

    /** Consumes a ',' if one is next; returns whether it did. */
    boolean comma() throws IOException {
        if (peek() == ',') {
            pos++;
            return true;
        }
        return false;
    }

    /** An object member just read: where it starts (its name's quote), its name, and where its value starts. */
    record Member(int start, String name, int valueStart) {}

    /** Reads the next member's name and its ':', leaving the cursor on the value. */
    Member member() throws IOException {
        skipWhitespace();
        int start = pos;
        String name = readString();
        expect(':');
        skipWhitespace();
        return new Member(start, name, pos);
    }

    /** Reads a string (cursor on its opening quote) and decodes escapes only when present. */
    String readString() throws IOException {
        if (peek() != '"') throw new IOException("expected a string at " + pos);
        int start = ++pos;
        boolean escaped = false;
        while (pos < end) {
            byte c = b[pos];
            if (c == '"') {
                String s = escaped ? unescape(start, pos) : new String(b, start, pos - start, StandardCharsets.UTF_8);
                pos++;
                return s;
            }
            if (c == '\\') {
                escaped = true;
                pos += 2;
            } else {
                pos++;
            }
        }
        throw new IOException("unterminated string");
    }

    /** Skips one value of any kind; returns the index just past it. */
    int skipValue() throws IOException {
        byte c = peek();
        switch (c) {
            case '"' -> skipString();
            case '{', '[' -> skipContainer();
            default -> {
                while (pos < end) {
                    byte d = b[pos];
                    if (d == ',' || d == '}' || d == ']' || d == ' ' || d == '\n' || d == '\r' || d == '\t') break;
                    pos++;
                }
            }
        }
        return pos;
    }

    private void skipString() throws IOException {
        pos++;
        while (pos < end) {
            byte c = b[pos];
            if (c == '"') {
                pos++;
                return;
            }
            pos += c == '\\' ? 2 : 1;
        }
        throw new IOException("unterminated string");
    }

    private void skipContainer() throws IOException {
        int depth = 0;
        while (pos < end) {
            byte c = b[pos];
            if (c == '"') {
                skipString();
                continue;
            }
            if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    pos++;
                    return;
                }
            }
            pos++;
        }
        throw new IOException("unterminated object or array");
    }

    private String unescape(int from, int to) throws IOException {
        StringBuilder sb = new StringBuilder(to - from);
        String raw = new String(b, from, to - from, StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i >= raw.length()) throw new IOException("bad escape");
            char e = raw.charAt(i);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 4 >= raw.length()) throw new IOException("bad \\u escape");
                    try {
                        sb.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                    } catch (NumberFormatException notHex) {
                        throw new IOException("bad \\u escape");
                    }
                    i += 4;
                }
                default -> throw new IOException("bad escape \\" + e);
            }
        }
        return sb.toString();
    }
}
