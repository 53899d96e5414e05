package dev.weir.proxy.enforce;

import dev.weir.protocol.model.Operation;
import dev.weir.proxy.enforce.succeeded.SucceededRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The firewall tells its request listener of permitted single-table requests it forwarded, whatever the answer, and of nothing else. */
class RequestListenerTest {
    private static final String POLICY = """
            role admin
            role analyst
            @id("all") allow admin on table * op *
            @id("read") allow analyst on table images op read
            """;

    private final AtomicInteger status = new AtomicInteger(200);
    private FirewallHarness weir;

    @AfterEach
    void close() {
        if (weir != null) weir.close();
    }

    @Test
    void aPermittedDeleteIsHeardWithItsKeyWhateverTheStoreAnswered() throws IOException {
        weir = new FirewallHarness(POLICY, (target, body) -> Map.entry(status.get(), status.get() == 200 ? "{}"
                : "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"no\"}"), Map.of());
        var ok = weir.call("admin", "DeleteItem", "{\"TableName\":\"images\",\"Key\":{\"id\":{\"S\":\"p-1\"}}}");
        assertEquals(200, ok.status());
        assertEquals(1, weir.succeeded.size());
        SucceededRequest heard = weir.succeeded.getFirst();
        assertEquals(Operation.DeleteItem, heard.operation());
        assertEquals("images", heard.table());
        assertEquals("admin", heard.principal());
        assertEquals(List.of("admin"), heard.roles());
        assertEquals("{\"id\":{\"S\":\"p-1\"}}", heard.key().toString());
        assertEquals(ok.event().requestId(), heard.requestId(), "the audit record and the trigger share the request id");

        status.set(400);
        var failed = weir.call("admin", "DeleteItem", "{\"TableName\":\"images\",\"Key\":{\"id\":{\"S\":\"p-2\"}}}");
        assertEquals(400, failed.status());
        assertEquals(2, weir.succeeded.size(), "a failed condition is heard too: whether it held may depend on values "
                + "the trigger's role cannot read, so the event is the request, not its success");
        assertEquals("{\"id\":{\"S\":\"p-2\"}}", weir.succeeded.get(1).key().toString());
    }

    @Test
    void aRefusedRequestIsNotHeard() throws IOException {
        weir = new FirewallHarness(POLICY, (target, body) -> Map.entry(200, "{}"), Map.of());
        var refused = weir.call("analyst", "DeleteItem", "{\"TableName\":\"images\",\"Key\":{\"id\":{\"S\":\"p-1\"}}}");
        assertEquals(400, refused.status());
        assertTrue(weir.forwarded.isEmpty());
        assertTrue(weir.succeeded.isEmpty(), "a refused request is not heard");
    }
}
