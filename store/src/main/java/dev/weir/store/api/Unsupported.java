package dev.weir.store.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;

/**
 * Refuses request members the store does not implement yet, rather than ignore them and
 * answer as if they had been applied (a condition silently skipped would be a wrong write).
 */
public final class Unsupported {
    private Unsupported() {}

    public static void reject(JsonNode request, String... members) {
        for (String m : members) {
            if (RequestFields.present(request, m)) {
                throw DynamoException.validation(m + " is not supported by this store yet");
            }
        }
    }
}
