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

    /** The token characters' punctuation (RFC 9110 section 5.6.2), besides letters and digits. */
    static final String TCHAR_PUNCTUATION = "!#$%&'*+-.^_`|~";
    /** Whether each ASCII byte is a token character: every header name's byte is looked up here (issue 16). */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (int c = 0; c < 128; c++) {
            TCHAR[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c > 0 && TCHAR_PUNCTUATION.indexOf(c) >= 0);
        }
    }

    /** A token character (RFC 9110 section 5.6.2). */
    public static boolean tchar(byte b) {
        return b >= 0 && TCHAR[b];
    }

    /** Bytes [from, to) as Latin-1 text (one char per byte, as HTTP heads are read). */
    public static String latin1(byte[] h, int from, int to) {
        return new String(h, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
