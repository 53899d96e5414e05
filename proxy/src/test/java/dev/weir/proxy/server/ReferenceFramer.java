package dev.weir.proxy.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 request framing by the guard's documented rules, written independently of it: it
 * reads a whole byte string at once rather than byte by byte as the bytes arrive. CRLF line
 * ends only; in a head no obs-fold, {@code name:} with nothing before the colon that is space,
 * header names of token characters, header values (without the spaces and tabs around them)
 * without control characters but tab,
 * at most one Content-Length (digits) or one Transfer-Encoding ({@code chunked}), not both;
 * chunk-size lines in hex (extensions allowed, at most 1024 characters), each chunk followed by
 * CRLF, trailers without obs-fold. The request line matches
 * {@code token SP visible-ASCII+ SP HTTP/d.d}; a version other than HTTP/1.0 and HTTP/1.1 is
 * refused with 505 (unless the head broke a rule before: a bare LF); HTTP/1.0 with
 * Transfer-Encoding is broken. An empty line where a head would start is skipped (Netty
 * skips it; the guard reads it as an empty request). Size limits are not modelled.
 */
final class ReferenceFramer {
    private ReferenceFramer() {}

    /**
     * The requests the bytes hold, in order, each as its body (null: the bytes end inside it),
     * and whether reading stopped at a broken rule rather than at the end of the bytes, with the
     * status that refuses it (400, or 505 for a version weir does not speak).
     */
    record Framing(List<byte[]> bodies, boolean broken, int status) {
        Framing(List<byte[]> bodies, boolean broken) {
            this(bodies, broken, broken ? 400 : 0);
        }
    }

    private static final Pattern REQUEST_LINE = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+ [\\x21-\\x7e]+ (.*)", Pattern.DOTALL);
    private static final Pattern VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0a-\\x1f\\x7f]");

    static Framing frame(byte[] in) {
        List<byte[]> bodies = new ArrayList<>();
        int pos = 0;
        while (pos < in.length) {
            int end = indexOf(in, "\r\n\r\n", pos);
            if (end < 0) return new Framing(bodies, false);
            if (end == pos) {
                pos += 4;
                continue;
            }
            for (int k = pos; k < end; k++) {
                if (in[k] == '\n' && (k == pos || in[k - 1] != '\r')) return new Framing(bodies, true);
            }
            String[] lines = new String(in, pos, end - pos, StandardCharsets.ISO_8859_1).split("\r\n", -1);
            Matcher requestLine = REQUEST_LINE.matcher(lines[0]);
            if (!requestLine.matches() || !VERSION.matcher(requestLine.group(1)).matches()) return new Framing(bodies, true);
            String version = requestLine.group(1);
            if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) return new Framing(bodies, true, 505);
            String length = null, encoding = null;
            int lengths = 0, encodings = 0;
            for (int k = 1; k < lines.length; k++) {
                String line = lines[k];
                int colon = line.indexOf(':');
                if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t' || colon <= 0
                        || line.charAt(colon - 1) == ' ' || line.charAt(colon - 1) == '\t') {
                    return new Framing(bodies, true);
                }
                if (!TOKEN.matcher(line.substring(0, colon)).matches()) return new Framing(bodies, true);
                String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).replaceAll("^[ \\t]+|[ \\t]+$", "");
                if (CONTROL.matcher(value).find()) return new Framing(bodies, true);
                if (name.equals("content-length")) {
                    lengths++;
                    length = value;
                } else if (name.equals("transfer-encoding")) {
                    encodings++;
                    encoding = value;
                }
            }
            if (lengths > 1 || encodings > 1 || lengths + encodings > 1) return new Framing(bodies, true);
            if (encodings > 0 && version.equals("HTTP/1.0")) return new Framing(bodies, true);
            pos = end + 4;
            if (encoding != null) {
                if (!encoding.equalsIgnoreCase("chunked")) return new Framing(bodies, true);
                Chunked c = chunked(in, pos);
                if (c.broken) return new Framing(bodies, true);
                bodies.add(c.body);
                if (c.body == null) return new Framing(bodies, false);
                pos = c.end;
            } else {
                long n = 0;
                if (length != null) {
                    if (length.isEmpty() || length.length() > 18 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        return new Framing(bodies, true);
                    }
                    n = Long.parseLong(length);
                }
                if (in.length - pos < n) {
                    bodies.add(null);
                    return new Framing(bodies, false);
                }
                bodies.add(Arrays.copyOfRange(in, pos, pos + (int) n));
                pos += (int) n;
            }
        }
        return new Framing(bodies, false);
    }

    /** A chunked body (null if the bytes end inside it), where it ends, or that it breaks a rule. */
    private record Chunked(byte[] body, int end, boolean broken) {}

    private static final Chunked BROKEN = new Chunked(null, -1, true);
    private static final Chunked INCOMPLETE = new Chunked(null, -1, false);

    private static Chunked chunked(byte[] in, int pos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            Line size = line(in, pos, 1024);
            if (size == null) return INCOMPLETE;
            if (size.broken) return BROKEN;
            int semi = size.text.indexOf(';');
            String hex = (semi < 0 ? size.text : size.text.substring(0, semi)).trim();
            if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) return BROKEN;
            long n = Long.parseLong(hex, 16);
            pos = size.end;
            if (n == 0) break;
            if (in.length - pos < n) return INCOMPLETE;
            body.write(in, pos, (int) n);
            pos += (int) n;
            if (pos < in.length && in[pos] != '\r') return BROKEN;
            if (pos + 1 < in.length && in[pos + 1] != '\n') return BROKEN;
            if (pos + 2 > in.length) return INCOMPLETE;
            pos += 2;
        }
        while (true) {
            Line trailer = line(in, pos, Integer.MAX_VALUE);
            if (trailer == null) return INCOMPLETE;
            if (trailer.broken) return BROKEN;
            pos = trailer.end;
            if (trailer.text.isEmpty()) return new Chunked(body.toByteArray(), pos, false);
            if (trailer.text.charAt(0) == ' ' || trailer.text.charAt(0) == '\t') return BROKEN;
        }
    }

    /** A CRLF-ended line from {@code pos}: its text and where the next starts; null if the bytes end first. */
    private record Line(String text, int end, boolean broken) {}

    /**
     * Reads a line that must end in CRLF, with no other CR or LF in it and at most
     * {@code maxChars} characters before its end; breaking that is a broken line even if the
     * bytes end before the line does.
     */
    private static Line line(byte[] in, int pos, int maxChars) {
        StringBuilder text = new StringBuilder();
        boolean cr = false;
        for (int i = pos; i < in.length; i++) {
            if (text.length() > maxChars) return new Line(null, -1, true);
            byte b = in[i];
            if (b == '\n') {
                return cr ? new Line(text.toString(), i + 1, false) : new Line(null, -1, true);
            }
            if (cr) return new Line(null, -1, true);
            if (b == '\r') cr = true;
            else text.append((char) (b & 0xff));
        }
        return null;
    }

    private static int indexOf(byte[] in, String what, int from) {
        byte[] w = what.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= in.length - w.length; i++) {
            for (int k = 0; k < w.length; k++) if (in[i + k] != w[k]) continue outer;
            return i;
        }
        return -1;
    }
}
