package dev.weir.store.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.model.Operation;
import dev.weir.store.engine.WouldBlock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RequestDispatcherTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final RequestDispatcher dispatcher = RequestDispatcher.builder(mapper)
            .on(Operation.ListTables, request -> mapper.createObjectNode().put("echo", request.path("X").asText()))
            .on(Operation.GetItem, request -> {
                throw new IllegalStateException("boom");
            })
            .build();
    private final RequestDispatcher reads = RequestDispatcher.builder(mapper)
            .on(Operation.GetItem, request -> {
                if (request.has("Cold")) throw WouldBlock.INSTANCE;
                return mapper.createObjectNode().put("got", request.path("TableName").asText());
            })
            .on(Operation.Query, request -> mapper.createObjectNode().put("limit", request.path("Limit").asInt()))
            .build();

    /** A GetItem that passes the request validator (the handlers here are stand-ins). */
    private static final String GET = "{\"TableName\":\"tab\",\"Key\":{}}";

    private ApiResponse inline(String op, String body) {
        return reads.dispatchInline("DynamoDB_20120810." + op, "application/x-amz-json-1.0",
                body.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void onlySmallPointReadsAndShortQueriesAreTriedInline() {
        assertEquals(RequestDispatcher.Lane.INLINE, RequestDispatcher.lane("DynamoDB_20120810.GetItem", 100));
        assertEquals(RequestDispatcher.Lane.INLINE, RequestDispatcher.lane("DynamoDB_20120810.Query", 100));
        assertEquals(RequestDispatcher.Lane.READ, RequestDispatcher.lane("DynamoDB_20120810.GetItem", 1 << 20));
        assertEquals(RequestDispatcher.Lane.READ, RequestDispatcher.lane("DynamoDB_20120810.Scan", 100));
        assertEquals(RequestDispatcher.Lane.READ, RequestDispatcher.lane("DynamoDB_20120810.Nope", 100));
        assertEquals(RequestDispatcher.Lane.WRITE, RequestDispatcher.lane("DynamoDB_20120810.PutItem", 100));
        assertEquals(RequestDispatcher.Lane.WRITE, RequestDispatcher.lane("DynamoDB_20120810.TransactWriteItems", 100));
        assertEquals(RequestDispatcher.Lane.WRITE, RequestDispatcher.lane("DynamoDB_20120810.CreateTable", 100));
    }

    @Test
    void inlineDispatchAnswersFromMemoryOrHandsTheRequestOn() {
        assertEquals("{\"got\":\"tab\"}", body(inline("GetItem", GET)));
        assertNull(inline("GetItem", "{\"TableName\":\"tab\",\"Key\":{},\"Cold\":true}"), "data not in memory: run on a worker");
        assertEquals("{\"limit\":10}", body(inline("Query", "{\"TableName\":\"tab\",\"Limit\":10}")));
        assertNull(inline("Query", "{\"TableName\":\"tab\"}"), "a Query without Limit may read a whole page");
        assertNull(inline("Query", "{\"TableName\":\"tab\",\"Limit\":1000}"));
        assertNull(inline("PutItem", "{}"));
        ApiResponse bad = inline("GetItem", "[1]");
        assertEquals(400, bad.status(), "a malformed body is answered right away");
    }

    private ApiResponse dispatch(String target, String contentType, String body) {
        return dispatcher.dispatch(target, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String body(ApiResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void routesByTarget() {
        ApiResponse r = dispatch("DynamoDB_20120810.ListTables", "application/x-amz-json-1.0", "{\"X\":\"y\"}");
        assertEquals(200, r.status());
        assertEquals("{\"echo\":\"y\"}", body(r));
    }

    @Test
    void acceptsPlainJsonContentTypeAndEmptyBody() {
        assertEquals(200, dispatch("DynamoDB_20120810.ListTables", "application/json; charset=utf-8", "{}").status());
        // DynamoDB refuses an empty body once the caller is authenticated
        assertEquals("{\"__type\":\"com.amazon.coral.service#SerializationException\"}",
                body(dispatch("DynamoDB_20120810.ListTables", "application/json", "")));
    }

    @Test
    void unknownMissingOrUnimplementedTargetsAreUnknownOperations() {
        for (String target : new String[]{null, "DynamoDB_20120810.Nope", "Other.ListTables", "DynamoDB_20120810.Scan"}) {
            ApiResponse r = dispatch(target, "application/x-amz-json-1.0", "{}");
            assertEquals(400, r.status());
            assertEquals("{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}", body(r), String.valueOf(target));
        }
    }

    @Test
    void bodyThatIsNotAJsonObjectIsASerializationError() {
        for (String bad : new String[]{"not json", "{\"a\":", "[1]", "42", "{} {}"}) {
            ApiResponse r = dispatch("DynamoDB_20120810.ListTables", "application/x-amz-json-1.0", bad);
            assertEquals(400, r.status(), bad);
            assertEquals(true, body(r).contains("com.amazon.coral.service#SerializationException"), bad);
        }
    }

    @Test
    void unexpectedFailuresAreInternalServerErrors() {
        ApiResponse r = dispatch("DynamoDB_20120810.GetItem", "application/x-amz-json-1.0", GET);
        assertEquals(500, r.status());
        assertEquals("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"Internal server error\"}", body(r));
    }
}
