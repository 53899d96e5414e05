package dev.weir.store.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestDispatcherTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final RequestDispatcher dispatcher = RequestDispatcher.builder(mapper)
            .on(Operation.ListTables, request -> mapper.createObjectNode().put("echo", request.path("X").asText()))
            .on(Operation.GetItem, request -> {
                throw new IllegalStateException("boom");
            })
            .build();

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
        assertEquals(200, dispatch("DynamoDB_20120810.ListTables", "application/json; charset=utf-8", "").status());
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
        ApiResponse r = dispatch("DynamoDB_20120810.GetItem", "application/x-amz-json-1.0", "{}");
        assertEquals(500, r.status());
        assertEquals("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"Internal server error\"}", body(r));
    }
}
