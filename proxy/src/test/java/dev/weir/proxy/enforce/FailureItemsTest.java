package dev.weir.proxy.enforce;

import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The stored item in a failed write's error: shown through the plan, or withheld outside the caller's rows. */
class FailureItemsTest {
    private static final String POLICY = """
            role w
            @id("w") allow w on table t op [UpdateItem, TransactWriteItems]
              rows where item.region == principal.region
              mask ssn show_last(2)
              remove secret
            """;

    private static FailureItems.Covering covering(Operation op) {
        DecisionRequest dr = new DecisionRequest("p", Set.of("w"), Map.of("region", List.of("eu")), "t", op, Context.NONE);
        var table = PolicyLoader.load(List.of(new PolicySource("p.weir", POLICY))).table().orElseThrow();
        return new FailureItems.Covering((Allowed) table.decide(dr), dr);
    }

    private static String filter(String body, Operation op) throws Exception {
        FailureItems.Covering c = covering(op);
        return new String(FailureItems.filter(body.getBytes(StandardCharsets.UTF_8), i -> c), StandardCharsets.UTF_8);
    }

    @Test
    void aVisibleItemIsShownThroughThePlanAHiddenOneIsWithheld() throws Exception {
        String type = "\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"The conditional request failed\"";
        assertEquals("{" + type + ",\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"ssn\":{\"S\":\"****89\"}}}",
                filter("{" + type + ",\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"eu\"},\"ssn\":{\"S\":\"1234589\"},"
                        + "\"secret\":{\"S\":\"CANARY\"}}}", Operation.UpdateItem));
        assertEquals("{" + type + "}", filter("{" + type + ",\"Item\":{\"id\":{\"S\":\"1\"},\"region\":{\"S\":\"us\"},"
                + "\"secret\":{\"S\":\"CANARY\"}}}", Operation.UpdateItem));
    }

    @Test
    void cancellationReasonsAreFilteredOneByOne() throws Exception {
        String out = filter("{\"__type\":\"x#TransactionCanceledException\",\"CancellationReasons\":[{\"Code\":\"None\"},"
                + "{\"Code\":\"ConditionalCheckFailed\",\"Item\":{\"region\":{\"S\":\"us\"},\"secret\":{\"S\":\"CANARY\"}}},"
                + "{\"Code\":\"ConditionalCheckFailed\",\"Item\":{\"region\":{\"S\":\"eu\"},\"secret\":{\"S\":\"CANARY\"}}}]}",
                Operation.TransactWriteItems);
        assertEquals("{\"__type\":\"x#TransactionCanceledException\",\"CancellationReasons\":[{\"Code\":\"None\"},"
                + "{\"Code\":\"ConditionalCheckFailed\"},{\"Code\":\"ConditionalCheckFailed\",\"Item\":{\"region\":{\"S\":\"eu\"}}}]}", out);
    }

    @Test
    void bodiesWithoutItemsAreUntouched() throws Exception {
        byte[] body = "{\"__type\":\"x#ValidationException\",\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        assertSame(body, FailureItems.filter(body, i -> covering(Operation.UpdateItem)));
    }
}
