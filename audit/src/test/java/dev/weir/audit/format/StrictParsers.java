package dev.weir.audit.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small strict parsers of each text format, written from the specifications, for round-trip tests. */
final class StrictParsers {
    private StrictParsers() {}

    record Cef(List<String> header, Map<String, String> ext) {}

    /** CEF: seven header fields ({@code \|} and {@code \\} escapes), then key=value pairs. */
    static Cef cef(String line) {
        if (!line.startsWith("CEF:")) throw new IllegalArgumentException("not CEF: " + line);
        List<String> header = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 4;
        while (header.size() < 7) {
            if (i >= line.length()) throw new IllegalArgumentException("short header");
            char c = line.charAt(i++);
            if (c == '\\') {
                char n = line.charAt(i++);
                if (n != '\\' && n != '|') throw new IllegalArgumentException("bad header escape \\" + n);
                f.append(n);
            } else if (c == '|') {
                header.add(f.toString());
                f.setLength(0);
            } else {
                if (c == '\n' || c == '\r') throw new IllegalArgumentException("line break in header");
                f.append(c);
            }
        }
        return new Cef(header, cefExtension(line.substring(i)));
    }

    /**
     * CEF extension: keys are [A-Za-z0-9_.]+ followed by an unescaped '='; a value runs until the
     * space before the next key. Escapes: \\ \= \n \r; a raw '=' in a value is an error.
     */
    static Map<String, String> cefExtension(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            if (eq < 0) throw new IllegalArgumentException("key without value at " + i);
            String key = s.substring(i, eq);
            if (!key.matches("[A-Za-z0-9_.]+")) throw new IllegalArgumentException("bad key '" + key + "'");
            StringBuilder v = new StringBuilder();
            int j = eq + 1;
            while (j < s.length()) {
                char c = s.charAt(j);
                if (c == '\\') {
                    char n = s.charAt(j + 1);
                    switch (n) {
                        case '\\' -> v.append('\\');
                        case '=' -> v.append('=');
                        case 'n' -> v.append('\n');
                        case 'r' -> v.append('\r');
                        default -> throw new IllegalArgumentException("bad escape \\" + n);
                    }
                    j += 2;
                } else if (c == '=') {
                    throw new IllegalArgumentException("unescaped '=' in value of " + key);
                } else if (c == '\n' || c == '\r') {
                    throw new IllegalArgumentException("raw line break");
                } else if (c == ' ' && nextIsKey(s, j + 1)) {
                    break;
                } else {
                    v.append(c);
                    j++;
                }
            }
            if (out.put(key, v.toString()) != null) throw new IllegalArgumentException("duplicate key " + key);
            i = j + 1;
        }
        return out;
    }

    private static boolean nextIsKey(String s, int from) {
        int k = from;
        while (k < s.length() && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '_' || s.charAt(k) == '.')) k++;
        return k > from && k < s.length() && s.charAt(k) == '=';
    }

    record Leef(String version, List<String> header, char delimiter, Map<String, String> attrs) {}

    /** LEEF 2.0: five header fields, the delimiter field (a char or xHH/0xHH), then key=value pairs split on the delimiter. */
    static Leef leef(String line) {
        if (!line.startsWith("LEEF:2.0|")) throw new IllegalArgumentException("not LEEF 2.0");
        List<String> header = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 9;
        while (header.size() < 5) {
            char c = line.charAt(i++);
            if (c == '\\') {
                char n = line.charAt(i++);
                if (n != '\\' && n != '|') throw new IllegalArgumentException("bad header escape");
                f.append(n);
            } else if (c == '|') {
                header.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        String d = header.removeLast();
        char delimiter = d.length() == 1 ? d.charAt(0)
                : (char) Integer.parseInt(d.startsWith("0x") ? d.substring(2) : d.substring(1), 16);
        Map<String, String> attrs = new LinkedHashMap<>();
        for (String pair : line.substring(i).split(String.valueOf(delimiter), -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad pair '" + pair + "'");
            for (char c : pair.toCharArray()) if (c < 0x20) throw new IllegalArgumentException("control char in pair");
            if (attrs.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) throw new IllegalArgumentException("dup");
        }
        return new Leef("2.0", header, delimiter, attrs);
    }

    record Syslog(int pri, int version, String timestamp, String host, String app, String procId, String msgId,
                  Map<String, Map<String, String>> sd, String msg) {}

    /** RFC 5424 (section 6 ABNF), strict: header fields, SD-ELEMENTs with escaped PARAM-VALUEs, then MSG. */
    static Syslog syslog(String s) {
        int[] p = {0};
        expect(s, p, '<');
        int close = s.indexOf('>', p[0]);
        int pri = Integer.parseInt(s.substring(p[0], close));
        if (pri < 0 || pri > 191 || close - p[0] > 3) throw new IllegalArgumentException("bad PRI");
        p[0] = close + 1;
        int version = Integer.parseInt(token(s, p));
        String ts = token(s, p);
        if (!ts.equals("-") && !ts.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?(Z|[+-]\\d\\d:\\d\\d)"))
            throw new IllegalArgumentException("bad TIMESTAMP " + ts);
        String host = printAscii(token(s, p), 255);
        String app = printAscii(token(s, p), 48);
        String proc = printAscii(token(s, p), 128);
        String msgId = printAscii(token(s, p), 32);
        Map<String, Map<String, String>> sd = new LinkedHashMap<>();
        if (s.charAt(p[0]) == '-') {
            p[0]++;
        } else {
            while (p[0] < s.length() && s.charAt(p[0]) == '[') {
                p[0]++;
                String id = sdName(s, p);
                Map<String, String> params = new LinkedHashMap<>();
                while (s.charAt(p[0]) == ' ') {
                    p[0]++;
                    String name = sdName(s, p);
                    expect(s, p, '=');
                    expect(s, p, '"');
                    StringBuilder v = new StringBuilder();
                    while (true) {
                        char c = s.charAt(p[0]++);
                        if (c == '\\') {
                            char n = s.charAt(p[0]);
                            if (n == '"' || n == '\\' || n == ']') { v.append(n); p[0]++; } else v.append('\\');
                        } else if (c == '"') {
                            break;
                        } else if (c == ']') {
                            throw new IllegalArgumentException("unescaped ] in PARAM-VALUE");
                        } else {
                            v.append(c);
                        }
                    }
                    if (params.put(name, v.toString()) != null) throw new IllegalArgumentException("dup param " + name);
                }
                expect(s, p, ']');
                if (sd.put(id, params) != null) throw new IllegalArgumentException("dup SD-ID");
            }
        }
        String msg = null;
        if (p[0] < s.length()) {
            expect(s, p, ' ');
            msg = s.substring(p[0]);
        }
        return new Syslog(pri, version, ts, host, app, proc, msgId, sd, msg);
    }

    private static String sdName(String s, int[] p) {
        int start = p[0];
        while (p[0] < s.length()) {
            char c = s.charAt(p[0]);
            if (c == '=' || c == ' ' || c == ']' || c == '"' || c < 33 || c > 126) break;
            p[0]++;
        }
        if (p[0] == start || p[0] - start > 32) throw new IllegalArgumentException("bad SD-NAME at " + start);
        return s.substring(start, p[0]);
    }

    private static String token(String s, int[] p) {
        int sp = s.indexOf(' ', p[0]);
        String t = s.substring(p[0], sp);
        p[0] = sp + 1;
        return t;
    }

    private static String printAscii(String t, int max) {
        if (t.isEmpty() || t.length() > max) throw new IllegalArgumentException("bad header field '" + t + "'");
        for (char c : t.toCharArray()) if (c < 33 || c > 126) throw new IllegalArgumentException("non-PRINTUSASCII");
        return t;
    }

    private static void expect(String s, int[] p, char c) {
        if (p[0] >= s.length() || s.charAt(p[0]) != c) throw new IllegalArgumentException("expected '" + c + "' at " + p[0]);
        p[0]++;
    }
}
