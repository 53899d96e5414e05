package dev.weir.proxy.redact;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.policy.LoadResult;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class ResponseRedactorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = """
            role analyst
            role admin
            @id("r") allow analyst on table people op [GetItem, PutItem]
              mask ssn show_last(4)
              remove salary
            @id("a") allow admin on table * op *
            """;
    private final ResponseRedactor redactor = new ResponseRedactor();

    @Test
    void getItemIsMaskedAndPutItemOldValuesToo() throws Exception {
        FieldPlan plan = plan("analyst", Operation.GetItem);
        byte[] body = bytes("{\"Item\":{\"id\":{\"S\":\"1\"},\"ssn\":{\"S\":\"123-45-6789\"},\"salary\":{\"N\":\"5\"}}}");
        assertEquals(JSON.readTree("{\"Item\":{\"id\":{\"S\":\"1\"},\"ssn\":{\"S\":\"****6789\"}}}"),
                JSON.readTree(redactor.redact(Operation.GetItem, plan, body)));
        byte[] old = bytes("{\"Attributes\":{\"ssn\":{\"S\":\"123-45-6789\"},\"salary\":{\"N\":\"5\"}}}");
        assertEquals(JSON.readTree("{\"Attributes\":{\"ssn\":{\"S\":\"****6789\"}}}"),
                JSON.readTree(redactor.redact(Operation.PutItem, plan("analyst", Operation.PutItem), old)));
    }

    @Test
    void nothingToHideLeavesTheBytesAlone() throws Exception {
        byte[] body = bytes("{\"Item\":{\"ssn\":{\"S\":\"123-45-6789\"}}}");
        assertSame(body, redactor.redact(Operation.GetItem, plan("admin", Operation.GetItem), body));
        byte[] empty = bytes("{}");
        assertSame(empty, redactor.redact(Operation.GetItem, plan("analyst", Operation.GetItem), empty));
    }

    private static FieldPlan plan(String role, Operation op) {
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("t.weir", POLICY)));
        Allowed a = (Allowed) r.table().orElseThrow().decide(new DecisionRequest(Set.of(role), "people", op));
        return a.fields();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
