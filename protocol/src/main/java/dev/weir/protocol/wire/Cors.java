package dev.weir.protocol.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB's answers to browser clients, for the store and the firewall alike: any origin
 * may call, a preflight (OPTIONS, which carries no credentials) is granted the method and
 * headers it asks for and cached two days, and responses expose the headers SDKs read.
 */
public final class Cors {
    public static final String EXPOSED =
            "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date";
    public static final String MAX_AGE = "172800";

    private Cors() {}

    /** The headers of a preflight answer, from the request's Origin and Access-Control-Request-* headers. */
    public static List<Map.Entry<String, String>> preflight(String origin, String requestMethod, String requestHeaders) {
        List<Map.Entry<String, String>> out = new ArrayList<>(4);
        if (origin != null) out.add(Map.entry("Access-Control-Allow-Origin", "*"));
        if (requestMethod != null) out.add(Map.entry("Access-Control-Allow-Methods", requestMethod));
        if (requestHeaders != null) out.add(Map.entry("Access-Control-Allow-Headers", requestHeaders));
        out.add(Map.entry("Access-Control-Max-Age", MAX_AGE));
        return out;
    }

    /** The headers of any other answer to a request that came with an Origin (none without one). */
    public static List<Map.Entry<String, String>> response(boolean fromOrigin) {
        if (!fromOrigin) return List.of();
        return List.of(Map.entry("Access-Control-Allow-Origin", "*"), Map.entry("Access-Control-Expose-Headers", EXPOSED));
    }
}
