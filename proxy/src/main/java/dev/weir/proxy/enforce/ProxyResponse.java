package dev.weir.proxy.enforce;

import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.wire.Crc32;

/** What the proxy sends back: status, body, and the body's {@code x-amz-crc32}. */
public record ProxyResponse(int status, byte[] body, String crc32) {
    public static ProxyResponse of(int status, byte[] body) {
        return new ProxyResponse(status, body, Crc32.of(body));
    }

    public static ProxyResponse error(DynamoError error) {
        return of(error.status(), error.toJsonBytes());
    }
}
