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
import dev.weir.store.api.validate.RequestValidator;
import dev.weir.store.engine.RocksEngine;
import dev.weir.store.engine.WouldBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The DynamoDB JSON 1.0 protocol without the transport: a target, a content type and a body
 * in, a status and a body out, checked in DynamoDB's order ({@link #dispatch(String, String,
 * byte[], DynamoError)}): the body's JSON, the target, the signature the transport checked,
 * the members of the request ({@link RequestValidator}), then the operation. Targets of the
 * DynamoDB Streams API ({@link #STREAMS_PREFIX}) go to their own handlers; operations the
 * store does not implement are answered, once the caller is authenticated, with
 * UnknownOperationException.
 */
public final class RequestDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
    /** Largest body of a request tried on the event loop: its parsing stays short. */
    static final int INLINE_MAX_BODY = 16 * 1024;
    /** Largest Query Limit tried on the event loop: its page stays short. */
    static final int INLINE_MAX_QUERY_LIMIT = 100;

    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final Map<Operation, OperationHandler> handlers;
    private final Map<String, OperationHandler> streamHandlers;

    /** The X-Amz-Target prefix of the DynamoDB Streams API, served on the same endpoint. */
    public static final String STREAMS_PREFIX = "DynamoDBStreams_20120810.";

    private RequestDispatcher(ObjectMapper mapper, Map<Operation, OperationHandler> handlers,
                              Map<String, OperationHandler> streamHandlers) {
        this.mapper = mapper;
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.handlers = handlers;
        this.streamHandlers = streamHandlers;
    }

    public static Builder builder(ObjectMapper mapper) {
        return new Builder(mapper);
    }

    /** A request authenticated by its caller, not here (tests; an embedding that checks signatures itself). */
    public ApiResponse dispatch(String target, String contentType, byte[] body) {
        return dispatch(target, contentType, body, null);
    }

    /**
     * A request whose authorization was checked by the transport: {@code authFailure} is the
     * error to answer instead of the operation's, or null when the request is authenticated.
     * The checks come in DynamoDB's order: a body that is not JSON (SerializationException),
     * a target that names no DynamoDB operation (UnknownOperationException), then the
     * signature, then an empty body, then the request's members ({@link RequestValidator}),
     * then the operation. What an unauthenticated caller learns before the signature is
     * checked is what DynamoDB tells anyone: whether its body is JSON and whether its target
     * is one of DynamoDB's operation names, never which the store serves or anything it holds.
     */
    public ApiResponse dispatch(String target, String contentType, byte[] body, DynamoError authFailure) {
        Operation op = null;
        try {
            op = Target.named(target);
            OperationHandler handler = op == null ? null : handlerOf(op);
            JsonNode request = authenticated(op, contentType, body, authFailure, handler);
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

    /**
     * The checks every request passes before its operation runs, in DynamoDB's order (see
     * {@link #dispatch(String, String, byte[], DynamoError)}); the request as a JSON object.
     * The target was parsed already: DynamoDB reads the body first, so a body that is not JSON
     * wins over an unknown target.
     */
    private JsonNode authenticated(Operation op, String contentType, byte[] body, DynamoError authFailure,
                                   OperationHandler handler) {
        checkContentType(contentType);
        JsonNode request = body.length == 0 ? null : parse(body);
        if (op == null) throw new DynamoException(DynamoError.unknownOperation(""));
        if (authFailure != null) throw new DynamoException(authFailure);
        if (handler == null) throw new DynamoException(DynamoError.unknownOperation(""));
        if (request == null) throw new DynamoException(DynamoError.serialization(""));
        RequestValidator.validate(op, (ObjectNode) request);
        return request;
    }

    private OperationHandler handlerOf(Operation op) {
        return op.api() == Operation.Api.STREAMS ? streamHandlers.get(op.name()) : handlers.get(op);
    }

    /**
     * Where a request runs: a cheap read (GetItem, or a Query with a small Limit, and a small
     * body) is first tried {@link #dispatchInline inline}; other reads go to the reader pool,
     * anything that writes (or may) to the writer pool, where threads wait for the log sync.
     */
    public enum Lane { INLINE, READ, WRITE }

    /** The lane of a request by its target alone (an unknown target is answered by the reader pool). */
    public static Lane lane(String target, int bodyLength) {
        if (target != null && target.startsWith(STREAMS_PREFIX)) return Lane.READ;
        Operation op = target != null && target.startsWith(Target.PREFIX)
                ? Operation.byName(target.substring(Target.PREFIX.length())) : null;
        if (op == null) return Lane.READ;
        return switch (op) {
            case GetItem, Query -> bodyLength <= INLINE_MAX_BODY ? Lane.INLINE : Lane.READ;
            case BatchGetItem, Scan, TransactGetItems, DescribeTable, ListTables, DescribeTimeToLive,
                 ListTagsOfResource, DescribeEndpoints, DescribeLimits -> Lane.READ;
            default -> Lane.WRITE;
        };
    }

    /**
     * Tries a {@link Lane#INLINE} request without blocking: every read stays in memory
     * ({@link RocksEngine#withoutIo}). Returns null when the request must run on a worker
     * instead (a Query without a small Limit, or data not in memory); nothing was changed then.
     */
    public ApiResponse dispatchInline(String target, String contentType, byte[] body, DynamoError authFailure) {
        Operation op = Target.named(target);
        if (op != Operation.GetItem && op != Operation.Query) return null;
        OperationHandler handler = handlers.get(op);
        JsonNode request;
        try {
            request = authenticated(op, contentType, body, authFailure, handler);
        } catch (DynamoException e) {
            return ApiResponse.of(e.error());
        }
        if (op == Operation.Query) {
            JsonNode limit = request.get("Limit");
            if (limit == null || !limit.isIntegralNumber() || limit.asLong() > INLINE_MAX_QUERY_LIMIT) return null;
        }
        try {
            return RocksEngine.withoutIo(() -> handle(op, handler, request));
        } catch (WouldBlock e) {
            return null;
        }
    }

    private ApiResponse handle(Operation op, OperationHandler handler, JsonNode request) {
        try {
            return new ApiResponse(200, mapper.writeValueAsBytes(handler.handle(request)));
        } catch (DynamoException e) {
            return ApiResponse.of(e.error());
        } catch (DetailedDynamoException e) {
            return e.toResponse(mapper);
        } catch (WouldBlock e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            // the exception names the failure, never request values
            log.error("{} failed", op, e);
            return ApiResponse.of(DynamoError.internalServerError("Internal server error"));
        }
    }

    private static void checkContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) return;
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
        private final Map<String, OperationHandler> streamHandlers = new java.util.HashMap<>();

        private Builder(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        public Builder on(Operation op, OperationHandler handler) {
            if (handlers.putIfAbsent(op, handler) != null) throw new IllegalStateException("twice: " + op);
            return this;
        }

        /** Registers the handler of a DynamoDB Streams operation (target {@link #STREAMS_PREFIX} + name). */
        public Builder onStreams(String name, OperationHandler handler) {
            if (streamHandlers.putIfAbsent(name, handler) != null) throw new IllegalStateException("twice: " + name);
            return this;
        }

        public RequestDispatcher build() {
            return new RequestDispatcher(mapper, Map.copyOf(handlers), Map.copyOf(streamHandlers));
        }
    }
}
