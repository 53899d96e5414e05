package dev.weir.proxy.http;

import java.nio.charset.StandardCharsets;

/** Reading an HTTP/1.1 head held as bytes, shared by weir's two framers (client requests, store answers). */
public final class HeadBytes {
    private HeadBytes() {}

    /** Where the line starting at {@code from} ends (its CR of CRLF), or {@code last} when it runs to there. */
    public static int lineEnd(byte[] h, int from, int last) {
        for (int k = from; k < last; k++) if (h[k] == '\r' && h[k + 1] == '\n') return k;
        return last;
    }

    /** True if bytes [from, to) are {@code lowerName} in any case (ASCII letters only fold, like toLowerCase of Latin-1). */
    public static boolean nameIs(byte[] h, int from, int to, byte[] lowerName) {
        if (to - from != lowerName.length) return false;
        for (int k = 0; k < lowerName.length; k++) {
            int c = h[from + k];
            if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            if (c != lowerName[k]) return false;
        }
        return true;
    }

    /** A token character (RFC 9110 section 5.6.2). */
    public static boolean tchar(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || (b > 0 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0);
    }

    /** Bytes [from, to) as Latin-1 text (one char per byte, as HTTP heads are read). */
    public static String latin1(byte[] h, int from, int to) {
        return new String(h, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
