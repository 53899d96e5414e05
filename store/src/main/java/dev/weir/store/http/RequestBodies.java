package dev.weir.store.http;

import dev.weir.protocol.http.ContentCoding;

/**
 * A request body as sent, decoded by its {@code Content-Encoding} with weir's own decoder
 * ({@link ContentCoding}, shared through the protocol module): none or {@code identity} as is,
 * {@code gzip} and {@code deflate} (zlib) inflated, as DynamoDB takes them; and as DynamoDB,
 * bytes after the last gzip member that start no other member are ignored
 * ({@link ContentCoding#decodeAsDynamoDb}). The signature covers the bytes as sent, so they are
 * kept for it; the operation reads the decoded ones. Inflating stops at
 * {@link StoreServer#MAX_BODY_BYTES} (a small body that inflates without bound is refused as
 * too large, not held in memory); and only once the request's signature holds, so only the
 * store's own client makes it inflate anything ({@link StoreHttpHandler}).
 */
final class RequestBodies {
    private RequestBodies() {}

    /** Whether a request with this {@code Content-Encoding} has a body to decode (anything but none or {@code identity}). */
    static boolean encoded(String contentEncoding) {
        if (contentEncoding == null) return false;
        String coding = contentEncoding.strip();
        return !coding.isEmpty() && !coding.equalsIgnoreCase("identity");
    }

    /**
     * The decoded body; refused ({@link ContentCoding.Refused}) when the coding is not one
     * DynamoDB takes, the bytes are not in it, or it inflates past the limit.
     */
    static byte[] decode(String contentEncoding, byte[] raw) throws ContentCoding.Refused {
        return ContentCoding.ofRequest(contentEncoding).decodeAsDynamoDb(raw, StoreServer.MAX_BODY_BYTES);
    }
}
