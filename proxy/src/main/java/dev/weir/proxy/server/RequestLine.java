package dev.weir.proxy.server;

import java.nio.charset.StandardCharsets;

import static dev.weir.proxy.http.HeadBytes.tchar;

/**
 * The request line as RFC 9112 (section 3) writes it, and nothing looser: a method (a token),
 * one space, a request target of visible ASCII, one space, and {@code HTTP/1.1} or
 * {@code HTTP/1.0} exactly as spelled. weir reads requests with the HTTP/1.1 rules only, and
 * a version it does not speak (HTTP/2.0, HTTP/9.9) could mean framing it would misread, so:
 * a line of another shape ({@code http/1.1}, {@code HTTP/1.1 } with a trailing space, two
 * spaces, a control byte or non-ASCII in the target) is a 400, a well-formed version other
 * than 1.0 and 1.1 a 505. HTTP/1.0 is served because Netty's codec, health checkers and old
 * tools speak it; such a request may not carry Transfer-Encoding (the guard refuses that).
 */
final class RequestLine {
    private RequestLine() {}

    /** What a request line says, or why it is refused. */
    sealed interface Checked permits Good, Bad {}

    /** A line weir reads; {@code http10} when its version is HTTP/1.0. */
    record Good(boolean http10) implements Checked {}

    /** A refused line: the status to answer (400 or 505) and why. */
    record Bad(int status, String why) implements Checked {}

    private static final Good HTTP_11 = new Good(false);
    private static final Good HTTP_10 = new Good(true);
    private static final byte[] PREFIX = "HTTP/".getBytes(StandardCharsets.US_ASCII);

    /** Checks bytes [0, end) of {@code h}, the request line without its CRLF. */
    static Checked check(byte[] h, int end) {
        int sp1 = 0;
        while (sp1 < end && tchar(h[sp1])) sp1++;
        if (sp1 == 0 || sp1 == end || h[sp1] != ' ') return new Bad(400, "malformed request line: the method");
        int sp2 = sp1 + 1;
        while (sp2 < end && h[sp2] >= 0x21 && h[sp2] <= 0x7e) sp2++;
        if (sp2 == sp1 + 1 || sp2 == end || h[sp2] != ' ') return new Bad(400, "malformed request line: the request target");
        int v = sp2 + 1;
        if (end - v != 8 || !startsWith(h, v, PREFIX) || !digit(h[v + 5]) || h[v + 6] != '.' || !digit(h[v + 7])) {
            return new Bad(400, "malformed HTTP version");
        }
        if (h[v + 5] != '1' || (h[v + 7] != '1' && h[v + 7] != '0')) return new Bad(505, "HTTP version not supported");
        return h[v + 7] == '1' ? HTTP_11 : HTTP_10;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean startsWith(byte[] h, int at, byte[] prefix) {
        for (int k = 0; k < prefix.length; k++) if (h[at + k] != prefix[k]) return false;
        return true;
    }
}
