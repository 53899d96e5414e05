package dev.weir.protocol.expr.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;

/**
 * Reads one attribute value of a legacy parameter. The store passes one that also checks and
 * canonicalizes the value as it would before storing it; the proxy can use {@link #PLAIN}.
 */
@FunctionalInterface
public interface ValueReader {
    /** DynamoDB JSON to a value, without further checks. */
    ValueReader PLAIN = AttributeValueJson::value;

    AttributeValue read(JsonNode node);
}
