package dev.weir.store.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * A request body as sent, decoded by its {@code Content-Encoding}: none or {@code identity}
 * as is, {@code gzip} inflated. The signature covers the bytes as sent, so they are kept for
 * it; the operation reads the decoded ones. Inflating stops at {@link StoreServer#MAX_BODY_BYTES}
 * (a small body that inflates without bound is refused as too large, not held in memory).
 */
final class RequestBodies {
    private RequestBodies() {}

    /** A body that inflates past the limit. */
    static final class TooLarge extends Exception {
        TooLarge() {
            super("request body inflates past " + StoreServer.MAX_BODY_BYTES + " bytes", null, false, false);
        }
    }

    /** The decoded body, or null when the encoding is unknown or the bytes are not in it. */
    static byte[] decode(String contentEncoding, byte[] raw) throws TooLarge {
        if (contentEncoding == null) return raw;
        String encoding = contentEncoding.strip().toLowerCase(Locale.ROOT);
        if (encoding.isEmpty() || encoding.equals("identity")) return raw;
        if (!encoding.equals("gzip") && !encoding.equals("x-gzip")) return null;
        if (raw.length == 0) return raw;
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, raw.length * 4));
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > StoreServer.MAX_BODY_BYTES) throw new TooLarge();
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            return null;
        }
    }
}
