package dev.weir.proxy.enforce;

import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.field.FieldPlan;
import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WriteGuardTest {
    private static final FieldPlan PLAN = plan();

    @Test
    void fieldsInTheAllowListMayBeWritten() {
        assertDoesNotThrow(() -> WriteGuard.requireWritable(PLAN, Map.of("id", s("1"), "ssn", s("x"),
                "address", new AttributeValue.M(Map.of("city", s("c")))), "ingest", "people"));
    }

    @Test
    void aFieldOutsideTheAllowListIsRefusedByNameOnly() {
        DynamoException e = assertThrows(DynamoException.class, () -> WriteGuard.requireWritable(PLAN,
                Map.of("id", s("1"), "salary", new AttributeValue.N("99000")), "ingest", "people"));
        assertEquals("AccessDeniedException", e.error().shortType());
        assertEquals("User: ingest is not authorized to write the field 'salary' of table people: it is outside "
                + "the caller's allow-list", e.error().message());
    }

    @Test
    void aNestedFieldTheRuleRemovesIsRefused() {
        DynamoException e = assertThrows(DynamoException.class, () -> WriteGuard.requireWritable(PLAN,
                Map.of("address", new AttributeValue.M(Map.of("street", s("secret street")))), "ingest", "people"));
        assertEquals(true, e.error().message().contains("'address.street'"));
    }

    private static FieldPlan plan() {
        var table = PolicyLoader.load(List.of(new PolicySource("w.weir", """
                role ingest
                @id("w") allow ingest on table people op [PutItem]
                  fields [id, ssn, address.*]
                  remove address.street
                """))).table().orElseThrow();
        return ((Allowed) table.decide(new DecisionRequest(Set.of("ingest"), "people", Operation.PutItem))).fields();
    }

    private static AttributeValue s(String v) {
        return new AttributeValue.S(v);
    }
}
