package dev.weir.proxy.server;

import java.util.List;
import java.util.Map;

/**
 * One complete, well-framed request as {@link HttpFramingGuard} read it: the only thing that
 * goes down the pipeline from the client's bytes, so no second parser ever reads them (two
 * parsers that could disagree are what request smuggling needs). The guard builds it from the
 * head bytes it already held for its checks and the body it collected (de-chunked).
 *
 * <p>What a request holds is what Netty's request decoder and aggregator used to hand on, so
 * everything after the guard sees the same request: header names as sent, values without the
 * whitespace around them, in arrival order (several entries may share a name); a request
 * without a {@code Content-Length} (chunked, or without a body) with the
 * {@code content-length} of its body added last, and a chunked one without its
 * {@code Transfer-Encoding}; a request that expected {@code 100-continue} (answered by the guard)
 * without its {@code Expect}. Plain data, no buffers: nothing to release.
 *
 * @param rawPath   the request target up to {@code ?}, still percent-encoded
 * @param rawQuery  what follows the first {@code ?}, or "" without one
 * @param keepAlive whether the connection stays open after the answer (HTTP/1.1 unless
 *                  {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive})
 */
record FramedRequest(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                     byte[] body, boolean keepAlive) {
    FramedRequest {
        headers = List.copyOf(headers);
    }

    /** A HEAD request: its answer has a length but no body. */
    boolean headOnly() {
        return method.equals("HEAD");
    }

    /** Every value of a header (any case), in arrival order. */
    List<String> headerValues(String name) {
        List<String> out = new java.util.ArrayList<>(1);
        for (Map.Entry<String, String> h : headers) if (h.getKey().equalsIgnoreCase(name)) out.add(h.getValue());
        return out;
    }

        /** The first value of a header (any case), or null. */
    String header(String name) {
        for (Map.Entry<String, String> h : headers) if (h.getKey().equalsIgnoreCase(name)) return h.getValue();
        return null;
    }
}
