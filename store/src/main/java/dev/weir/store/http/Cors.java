package dev.weir.store.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * DynamoDB's answers to browser clients: any origin may call, a preflight (OPTIONS) is
 * granted the method and headers it asks for and cached two days, and responses expose the
 * headers SDKs read.
 */
final class Cors {
    static final String EXPOSED = "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date";
    static final String MAX_AGE = "172800";

    private Cors() {}

    /** The headers of a preflight answer to {@code request}. */
    static void preflight(HttpHeaders request, HttpHeaders response) {
        if (request.contains(HttpHeaderNames.ORIGIN)) response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        String method = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (method != null) response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, method);
        String headers = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        if (headers != null) response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, headers);
        response.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
    }

    /** The headers of any other answer to a request that came with an Origin. */
    static void response(boolean fromOrigin, HttpHeaders response) {
        if (!fromOrigin) return;
        response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
    }
}
