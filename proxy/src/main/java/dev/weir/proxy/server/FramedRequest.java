package dev.weir.proxy.server;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

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
        // The guard's list is fresh and is sealed here, so it is taken as it is (issue 16); any other is copied.
        headers = headers instanceof Headers fresh ? fresh.seal() : List.copyOf(headers);
    }

    /**
     * A request's headers as {@link HttpFramingGuard} collects them: appended while its head is
     * read, then sealed when the request is made, and from then on read-only (every mutator of
     * {@link java.util.List} throws, and so does {@link #append}). Nothing is copied to hand it on.
     */
    static final class Headers extends AbstractList<Map.Entry<String, String>> implements RandomAccess {
        @SuppressWarnings("unchecked")
        private Map.Entry<String, String>[] entries = new Map.Entry[16];
        private int size;
        private boolean sealed;

        /** Adds a header at the end; only before the list is sealed. */
        void append(Map.Entry<String, String> header) {
            if (sealed) throw new IllegalStateException("a request's headers are read-only once it is made");
            if (header == null) throw new NullPointerException("a header");
            if (size == entries.length) entries = Arrays.copyOf(entries, size * 2);
            entries[size++] = header;
        }

        Headers seal() {
            sealed = true;
            return this;
        }

        @Override
        public Map.Entry<String, String> get(int index) {
            Objects.checkIndex(index, size);
            return entries[index];
        }

        @Override
        public int size() {
            return size;
        }
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
