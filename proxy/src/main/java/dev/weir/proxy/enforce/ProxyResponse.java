package dev.weir.proxy.enforce;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.wire.Crc32;

/**
 * What the proxy sends back: status, body, the body's {@code x-amz-crc32}, and the request's id
 * for {@code x-amzn-RequestId} (the one its audit records carry; null until the firewall sets it).
 */
public record ProxyResponse(int status, byte[] body, String crc32, String requestId) {
    public ProxyResponse(int status, byte[] body, String crc32) {
        this(status, body, crc32, null);
    }

    /** The same response, answering the request with this id. */
    public ProxyResponse withRequestId(String id) {
        return new ProxyResponse(status, body, crc32, id);
    }

    public static ProxyResponse of(int status, byte[] body) {
        return new ProxyResponse(status, body, Crc32.of(body));
    }

    public static ProxyResponse error(DynamoError error) {
        return of(error.status(), error.toJsonBytes());
    }
}
