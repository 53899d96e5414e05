package dev.weir.store.api;

import dev.weir.protocol.error.DynamoError;

/** An HTTP status and a JSON body, ready to send. */
public record ApiResponse(int status, byte[] body) {
    public static ApiResponse of(DynamoError error) {
        return new ApiResponse(error.status(), error.toJsonBytes());
    }
}
