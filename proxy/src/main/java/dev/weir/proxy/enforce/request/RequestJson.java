package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.proxy.enforce.verdict.Refusals;

import java.io.IOException;

/**
 * A request body as a JSON object. A body that is forwarded unchanged goes upstream as its
 * original bytes, so it must have one meaning for every JSON parser: a member named twice
 * (parsers differ on which one counts) or content after the object (which one parser ignores
 * and another reads) is refused, as is anything but an object. Names are not kept between
 * parses ({@link JsonBodies}).
 *
 * <p>Duplicates are found where the tree is built (Jackson's {@code FAIL_ON_READING_DUP_TREE_KEY}:
 * a member the object already has), which costs nothing extra; the streaming reader's own
 * detection ({@code STRICT_DUPLICATE_DETECTION}) kept a hash set of names for every object of
 * three members or more, 10-15% of reading a PutItem. Both refuse the same bodies: every
 * object of the body becomes an object of the tree. They may meet a body's problems in another
 * order (the tree sees a duplicate only once its value is read, so a syntax error inside that
 * value comes first), so a body the tree reader refuses is read again by the streaming one,
 * whose first problem names the refusal as it always did. Only refused bodies are read twice.
 *
 * <p>Before any of that, {@link BodyTree} reads the bytes straight into the same tree; it takes
 * the plain bodies clients send and declines the rest, which Jackson reads as above.
 */
final class RequestJson {
    private static final ObjectMapper TREE_CHECKED = JsonBodies.mapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper STREAM_CHECKED = JsonBodies.mapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RequestJson() {}

    /** The body's object; a refusal (DynamoDB's SerializationException) for anything else. */
    static ObjectNode read(byte[] body) {
        if (body.length == 0) return JsonNodeFactory.instance.objectNode();
        ObjectNode scanned = BodyTree.read(body);
        if (scanned != null) return scanned;
        JsonNode tree;
        try {
            tree = TREE_CHECKED.readTree(body);
        } catch (IOException | RuntimeException refused) {
            return readStrictly(body);
        }
        if (!(tree instanceof ObjectNode obj)) throw notAnObject();
        return obj;
    }

    /** The body's object as the streaming reader checks it: the refusal names the first problem it meets. */
    static ObjectNode readStrictly(byte[] body) {
        if (body.length == 0) return JsonNodeFactory.instance.objectNode();
        JsonNode tree;
        try {
            tree = STREAM_CHECKED.readTree(body);
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage();
            if (problem != null && problem.startsWith("Duplicate field")) {
                throw Refusals.invalid(DynamoError.serialization("The request body names a member more than once."));
            }
            if (problem != null && problem.startsWith("Trailing token")) {
                throw Refusals.invalid(DynamoError.serialization("The request body has content after its JSON object."));
            }
            throw notAnObject();
        } catch (IOException e) {
            throw Refusals.invalid(DynamoError.serialization("Could not read the request body."));
        }
        if (!(tree instanceof ObjectNode obj)) throw notAnObject();
        return obj;
    }

    private static RuntimeException notAnObject() {
        return Refusals.invalid(DynamoError.serialization("Start of structure or map found where not expected."));
    }
}
