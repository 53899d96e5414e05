package dev.weir.proxy.enforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.ExpressionContext;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.proxy.enforce.request.ParsedRequest;
import dev.weir.proxy.enforce.request.RequestParser;
import dev.weir.proxy.upstream.UpstreamAccount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers: requests parsed as the firewall parses them, forwarded bodies read back. */
final class Requests {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestParser PARSER = new RequestParser(UpstreamAccount.DEFAULT);

    private Requests() {}

    static ParsedRequest parse(String op, String json) {
        return PARSER.parse("p", "DynamoDB_20120810." + op, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The body weir would forward for this plan: the rebuilt one, or the client's own. */
    static ObjectNode forwarded(ParsedRequest request, Plan plan) {
        byte[] body = ForwardBody.of(request, plan, "p");
        if (body == null) return request.body();
        try {
            return (ObjectNode) JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request body's expressions, parsed with its own names and values. */
    static ExpressionContext expressions(ObjectNode body) {
        Map<String, String> names = new LinkedHashMap<>();
        if (body.get("ExpressionAttributeNames") instanceof ObjectNode n) n.fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
        Map<String, AttributeValue> values = body.get("ExpressionAttributeValues") instanceof ObjectNode v
                ? AttributeValueJson.item(v, "ExpressionAttributeValues") : Map.of();
        return new ExpressionContext(names, values);
    }
}
