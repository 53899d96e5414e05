package dev.weir.protocol.http;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Inflates one deflate stream into an array that never grows past a limit (a small body cannot make weir hold a large one). */
final class Inflation {
    private Inflation() {}

    /**
     * What {@code inflater} gives until its stream ends (or its input runs out: the caller
     * checks {@link Inflater#finished()}); refused once more than {@code limit} bytes come out.
     */
    static byte[] inflate(Inflater inflater, int limit) throws DataFormatException, ContentCoding.Refused {
        byte[] out = new byte[(int) Math.min(limit + 1L, 8 * 1024)];
        int n = 0;
        while (!inflater.finished()) {
            if (n == out.length) {
                if (n > limit) throw tooLarge(limit);
                out = Arrays.copyOf(out, (int) Math.min((long) limit + 1, 2L * out.length));
            }
            int got = inflater.inflate(out, n, out.length - n);
            if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
            n += got;
            if (n > limit) throw tooLarge(limit);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static ContentCoding.Refused tooLarge(int limit) {
        return new ContentCoding.Refused(ContentCoding.Refused.Kind.TOO_LARGE,
                "the request body is larger than " + limit + " bytes once decoded");
    }
}
