package dev.weir.protocol.sigv4;

import java.util.List;
import java.util.Map;

/**
 * What SigV4 needs to see of an HTTP request, independent of any HTTP library: the method,
 * the raw (still percent-encoded) path and query, the headers in arrival order (names as
 * sent; several entries may share a name) and the body.
 */
public record HttpRequestView(String method, String rawPath, String rawQuery,
                              List<Map.Entry<String, String>> headers, byte[] body) {

    /** All values of a header, case-insensitively, in arrival order. */
    public List<String> headerValues(String name) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(1);
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) out.add(e.getValue());
        }
        return out;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return null;
    }
}
