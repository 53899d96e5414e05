package dev.weir.store.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.Operation;
import dev.weir.protocol.wire.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The DynamoDB JSON 1.0 protocol without the transport: a target, a content type and a body
 * in, a status and a body out. Unknown or not yet implemented operations are answered with
 * UnknownOperationException, a body that is not a JSON object with SerializationException,
 * then a missing or malformed authorization with the error the transport found.
 */
public final class RequestDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final Map<Operation, OperationHandler> handlers;

    private RequestDispatcher(ObjectMapper mapper, Map<Operation, OperationHandler> handlers) {
        this.mapper = mapper;
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.handlers = handlers;
    }

    public static Builder builder(ObjectMapper mapper) {
        return new Builder(mapper);
    }

    /** A request whose authorization was not looked at (tests, embedding). */
    public ApiResponse dispatch(String target, String contentType, byte[] body) {
        return dispatch(target, contentType, body, null);
    }

    /**
     * A request whose authorization was checked by the transport: {@code authFailure} is the
     * error to answer once the target and the body are known to be valid, or null.
     */
    public ApiResponse dispatch(String target, String contentType, byte[] body, DynamoError authFailure) {
        Operation op = null;
        try {
            op = Target.parse(target);
            checkContentType(contentType);
            OperationHandler handler = handlers.get(op);
            if (handler == null) throw new DynamoException(DynamoError.unknownOperation(""));
            JsonNode request = parse(body);
            if (authFailure != null) throw new DynamoException(authFailure);
            ObjectNode response = handler.handle(request);
            return new ApiResponse(200, mapper.writeValueAsBytes(response));
        } catch (DynamoException e) {
            return ApiResponse.of(e.error());
        } catch (DetailedDynamoException e) {
            return e.toResponse(mapper);
        } catch (RuntimeException | IOException e) {
            // the exception names the failure, never request values
            log.error("{} failed", op, e);
            return ApiResponse.of(DynamoError.internalServerError("Internal server error"));
        }
    }

    private static void checkContentType(String contentType) {
        if (contentType == null) return;
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals(Target.CONTENT_TYPE) && !type.equals("application/json")) {
            throw new DynamoException(DynamoError.unknownOperation(""));
        }
    }

    private JsonNode parse(byte[] body) {
        JsonNode node;
        try {
            node = reader.readTree(body);
        } catch (IOException e) {
            throw new DynamoException(DynamoError.serialization(""));
        }
        if (node == null || node.isMissingNode()) return mapper.createObjectNode();
        if (!node.isObject()) throw new DynamoException(DynamoError.serialization(
                node.isArray() ? "Start of list found where not expected" : "Unexpected value type in payload"));
        return node;
    }

    /** Registers one handler per operation. */
    public static final class Builder {
        private final ObjectMapper mapper;
        private final Map<Operation, OperationHandler> handlers = new EnumMap<>(Operation.class);

        private Builder(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        public Builder on(Operation op, OperationHandler handler) {
            if (handlers.putIfAbsent(op, handler) != null) throw new IllegalStateException("twice: " + op);
            return this;
        }

        public RequestDispatcher build() {
            return new RequestDispatcher(mapper, Map.copyOf(handlers));
        }
    }
}
