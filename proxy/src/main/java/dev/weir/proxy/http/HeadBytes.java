package dev.weir.proxy.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reading an HTTP/1.1 head held as bytes, shared by weir's two framers (client requests, store answers). */
public final class HeadBytes {
    private HeadBytes() {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH = 0x8080808080808080L;

    /**
     * A header line of the common form, read in one pass: a token name, its colon, and a value
     * without a control byte other than tab (nor DEL), ended by CRLF. Returns the colon's index
     * in the high 32 bits and the CR's in the low ones, or -1 for a line of any other form,
     * which the caller then reads and refuses as before, check by check (issue 16: the head was
     * walked three times, for the line's end, the colon and the value's bytes).
     *
     * <p>The head must hold CRLF at or after {@code line} (a complete head ends with CRLFCRLF),
     * which stops both walks: CR is neither a token character nor allowed in a value. Eight
     * value bytes at a time are read while they hold no control byte and no DEL (reading past
     * the head's end only ever happens inside a word that holds its CR, and stops there).
     */
    public static long plainLine(byte[] h, int line) {
        int k = line;
        while (tchar(h[k])) k++;
        if (k == line || h[k] != ':') return -1;
        int colon = k++;
        int n = h.length;
        while (true) {
            while (k + 8 <= n && (controlOrDel((long) LONGS.get(h, k)) & HIGH) == 0) k += 8;
            int c = h[k] & 0xff;
            if (c >= 0x20 && c != 0x7f || c == '\t') {
                k++;
                continue;
            }
            break;
        }
        if (h[k] != '\r' || h[k + 1] != '\n') return -1;
        return ((long) colon << 32) | k;
    }

    /**
     * A high bit in some byte of the result when one of the eight bytes of {@code x} is below
     * 0x20 or is 0x7F (and only then; which byte is flagged may be off): the word-at-a-time
     * "has less" and "has zero" tests, exact as predicates for bounds up to 0x80.
     */
    static long controlOrDel(long x) {
        long del = x ^ 0x7F7F7F7F7F7F7F7FL;
        return ((x - 0x2020202020202020L) & ~x) | ((del - 0x0101010101010101L) & ~del);
    }

    /** The index of the first LF in bytes [from, to), or -1; eight bytes at a time. */
    public static int indexOfLf(byte[] h, int from, int to) {
        int k = from;
        for (; k + 8 <= to; k += 8) {
            long x = (long) LONGS.get(h, k) ^ 0x0A0A0A0A0A0A0A0AL;
            if (((x - 0x0101010101010101L) & ~x & HIGH) != 0) break;
        }
        for (; k < to; k++) if (h[k] == '\n') return k;
        return -1;
    }

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

    /**
     * True if the comma-separated list in bytes [from, to) has {@code lowerToken} as one of its
     * elements, in any case, with the spaces and tabs around it trimmed (what splitting the text
     * at commas, trimming and {@code equalsIgnoreCase} gives for a header value, without the text).
     */
    public static boolean hasToken(byte[] h, int from, int to, byte[] lowerToken) {
        for (int at = from; at <= to; ) {
            int comma = at;
            while (comma < to && h[comma] != ',') comma++;
            int a = at, b = comma;
            while (a < b && (h[a] == ' ' || h[a] == '\t')) a++;
            while (b > a && (h[b - 1] == ' ' || h[b - 1] == '\t')) b--;
            if (nameIs(h, a, b, lowerToken)) return true;
            at = comma + 1;
        }
        return false;
    }

    /**
     * The decimal number in bytes [from, to): 1 to 18 ASCII digits, else -1 (a Content-Length
     * that is empty, too long or not all digits).
     */
    public static long decimal(byte[] h, int from, int to) {
        if (to <= from || to - from > 18) return -1;
        long n = 0;
        for (int k = from; k < to; k++) {
            int d = h[k] - '0';
            if (d < 0 || d > 9) return -1;
            n = n * 10 + d;
        }
        return n;
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

    /**
     * The header names the AWS SDKs, the aws CLI and weir's own clients send, in each spelling
     * seen (lower case, canonical, Go's title case): a name whose bytes are exactly one of these
     * is given as this constant, not a new String per request (issue 16). Only an exact match is
     * reused, so a name is always the text that was sent, in its case.
     */
    static final String[] COMMON_NAMES = {
            "host", "Host",
            "x-amz-date", "X-Amz-Date",
            "x-amz-target", "X-Amz-Target",
            "authorization", "Authorization",
            "content-type", "Content-Type",
            "content-length", "Content-Length",
            "x-amz-content-sha256", "X-Amz-Content-Sha256", "X-Amz-Content-SHA256",
            "x-amz-security-token", "X-Amz-Security-Token",
            "x-amz-user-agent", "X-Amz-User-Agent",
            "user-agent", "User-Agent",
            "accept-encoding", "Accept-Encoding",
            "accept", "Accept",
            "amz-sdk-invocation-id", "Amz-Sdk-Invocation-Id",
            "amz-sdk-request", "Amz-Sdk-Request",
            "connection", "Connection",
            "content-encoding", "Content-Encoding",
            "transfer-encoding", "Transfer-Encoding",
            "expect", "Expect",
            "origin", "Origin",
            "x-amz-crc32", "x-amzn-requestid", "x-amzn-RequestId", "date", "Date", "server", "Server",
    };
    /** The values sent on (nearly) every request: DynamoDB's content type, the codings and connection tokens clients name. */
    static final String[] COMMON_VALUES = {
            "application/x-amz-json-1.0", "application/x-amz-json-1.1", "keep-alive", "Keep-Alive", "close",
            "identity", "gzip", "deflate", "gzip, deflate", "*/*", "100-continue", "0",
    };
    /** A request line's usual method and path (DynamoDB's API is {@code POST /}). */
    static final String[] COMMON_REQUEST_LINE_PARTS = {"POST", "GET", "HEAD", "OPTIONS", "PUT", "/"};
    /** The common strings by their length, then in the order above, as bytes. */
    private static final Table NAMES = new Table(COMMON_NAMES);
    private static final Table VALUES = new Table(COMMON_VALUES);
    private static final Table REQUEST_LINE_PARTS = new Table(COMMON_REQUEST_LINE_PARTS);

    /** Bytes [from, to) of a header name, as text: a shared constant when they are exactly a common name's bytes. */
    public static String name(byte[] h, int from, int to) {
        String known = NAMES.find(h, from, to);
        return known != null ? known : latin1(h, from, to);
    }

    /** Bytes [from, to) of a header value, as text: a shared constant when they are exactly a common value's bytes. */
    public static String value(byte[] h, int from, int to) {
        String known = VALUES.find(h, from, to);
        return known != null ? known : latin1(h, from, to);
    }

    /** Bytes [from, to) of a request's method or path, as text: a shared constant when they are exactly a common one's bytes. */
    public static String requestLinePart(byte[] h, int from, int to) {
        String known = REQUEST_LINE_PARTS.find(h, from, to);
        return known != null ? known : latin1(h, from, to);
    }

    /** Constant strings grouped by length, matched on their exact bytes. */
    private static final class Table {
        private final byte[][][] bytes;
        private final String[][] strings;

        Table(String[] all) {
            int longest = 0;
            for (String s : all) longest = Math.max(longest, s.length());
            bytes = new byte[longest + 1][][];
            strings = new String[longest + 1][];
            for (int n = 0; n <= longest; n++) {
                final int len = n;
                String[] sized = java.util.Arrays.stream(all).filter(s -> s.length() == len).toArray(String[]::new);
                strings[n] = sized;
                bytes[n] = new byte[sized.length][];
                for (int k = 0; k < sized.length; k++) bytes[n][k] = sized[k].getBytes(StandardCharsets.ISO_8859_1);
            }
        }

        String find(byte[] h, int from, int to) {
            int n = to - from;
            if (n >= bytes.length) return null;
            byte[][] candidates = bytes[n];
            for (int k = 0; k < candidates.length; k++) {
                byte[] c = candidates[k];
                if (c[0] == h[from] && java.util.Arrays.equals(c, 0, n, h, from, to)) return strings[n][k];
            }
            return null;
        }
    }
}
